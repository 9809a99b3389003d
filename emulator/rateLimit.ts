import type { RateLimitConfig } from "./types";

/** Result of taking one token: whether the request may go on, and the values for the rate limit headers. */
export interface TokenBucketDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until a token is available again; 0 when the request is allowed. */
  retryAfterSeconds: number;
}

/** A token bucket that starts full, contains `burst` tokens at most and refills `requestsPerSecond` tokens a second. */
export class TokenBucket {
  readonly limit: number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly config: Readonly<RateLimitConfig>,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = config.burst ?? Math.max(1, Math.ceil(config.requestsPerSecond));
    this.tokens = this.limit;
    this.refilledAt = now();
  }

  take(): TokenBucketDecision {
    const now = this.now();
    this.tokens = Math.min(this.limit, this.tokens + ((now - this.refilledAt) / 1000) * this.config.requestsPerSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, limit: this.limit, remaining: Math.floor(this.tokens), retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - this.tokens) / this.config.requestsPerSecond));
    return { allowed: false, limit: this.limit, remaining: 0, retryAfterSeconds };
  }
}

/** Checks a rate limit configuration from an option or the control interface; returns an error message or undefined. */
export function validateRateLimit(config: RateLimitConfig): string | undefined {
  if (typeof config.requestsPerSecond !== "number" || !(config.requestsPerSecond > 0)) {
    return "requestsPerSecond must be a positive number.";
  }
  if (config.burst !== undefined && (!Number.isInteger(config.burst) || config.burst < 1)) {
    return "burst must be a positive integer.";
  }
  return undefined;
}
