import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { TokenRateLimitConfig } from "./types";

/** Upper bound on remembered tokens; the oldest are forgotten first, so a forgotten token reads as unknown. */
const MAX_TOKENS = 10_000;

/** Default sliding window of the token rate limit, in milliseconds. */
const DEFAULT_WINDOW_MS = 60_000;

/** Settings of an {@link AccessTokenIssuer}; every duration is in milliseconds. */
export interface AccessTokenSettings {
  lifetimeMs: number;
  rateLimit: TokenRateLimitConfig | null;
  /** Active tokens per client before issuing fails; null for no limit. */
  maxActiveTokens: number | null;
}

/** Result of a token request that passed client authentication. */
export type IssueResult =
  | { outcome: "issued"; accessToken: string; expiresInSeconds: number; rateLimitHeaders: Record<string, string> }
  | { outcome: "rate-limited"; limit: number; windowMs: number; retryAfterSeconds: number }
  | { outcome: "too-many-active"; limit: number };

/** Result of checking a bearer token: the client it belongs to, or why it is not accepted. */
export type TokenVerdict = { outcome: "ok"; clientId: string } | { outcome: "failed"; cause: string };

/** Tokens issued to one client since the start or the last reset. */
export interface ClientTokenSummary {
  issued: number;
  active: number;
  /** ISO 8601 time of the last token issued, or null. */
  lastIssuedAt: string | null;
}

interface TokenRecord {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** Checks a token rate limit from an option or the control interface; returns an error message or undefined. */
export function validateTokenRateLimit(config: TokenRateLimitConfig): string | undefined {
  if (!Number.isInteger(config.limit) || config.limit < 1) {
    return "limit must be a positive integer.";
  }
  if (config.windowMs !== undefined && (typeof config.windowMs !== "number" || !(config.windowMs > 0))) {
    return "windowMs must be a positive number of milliseconds.";
  }
  return undefined;
}

/**
 * Issues and checks OAuth access tokens. Tokens are HS256 JSON Web Tokens with `sub` (the client id), `iat`, `exp`
 * and `jti`, so clients that read `exp` see the real expiry, but the emulator accepts only tokens it remembers.
 * The token values never leave this class except in the token response.
 */
export class AccessTokenIssuer {
  private readonly tokens = new Map<string, TokenRecord>();
  /** Issue times per client inside the current rate limit window, oldest first. */
  private readonly recentIssues = new Map<string, number[]>();
  private readonly counts = new Map<string, { issued: number; lastIssuedAt: number }>();
  private readonly signingKey = randomBytes(32);

  constructor(
    public settings: AccessTokenSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a token to `clientId` unless its rate limit or active token limit is reached. */
  issue(clientId: string): IssueResult {
    const now = this.now();
    const rateLimit = this.settings.rateLimit;
    const windowMs = rateLimit?.windowMs ?? DEFAULT_WINDOW_MS;
    const recent = (this.recentIssues.get(clientId) ?? []).filter((issuedAt) => issuedAt > now - windowMs);
    this.recentIssues.set(clientId, recent);
    if (rateLimit !== null && recent.length >= rateLimit.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
      return { outcome: "rate-limited", limit: rateLimit.limit, windowMs, retryAfterSeconds };
    }
    const maxActive = this.settings.maxActiveTokens;
    if (maxActive !== null && this.countActive(clientId, now) >= maxActive) {
      return { outcome: "too-many-active", limit: maxActive };
    }

    const expiresAt = now + this.settings.lifetimeMs;
    const header = base64UrlJson({ alg: "HS256", typ: "JWT" });
    const payload = base64UrlJson({
      iss: "atlas-admin-api-emulator",
      sub: clientId,
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
      jti: randomUUID(),
    });
    const signature = createHmac("sha256", this.signingKey).update(`${header}.${payload}`).digest("base64url");
    const accessToken = `${header}.${payload}.${signature}`;
    this.remember(accessToken, { clientId, expiresAt, revoked: false });
    recent.push(now);
    const count = this.counts.get(clientId) ?? { issued: 0, lastIssuedAt: now };
    this.counts.set(clientId, { issued: count.issued + 1, lastIssuedAt: now });

    const rateLimitHeaders: Record<string, string> =
      rateLimit === null
        ? {}
        : {
            "RateLimit-Limit": String(rateLimit.limit),
            "RateLimit-Remaining": String(rateLimit.limit - recent.length),
          };
    // expires_in is a whole number of seconds, rounded down, so a client that trusts it never sends an expired token.
    return {
      outcome: "issued",
      accessToken,
      expiresInSeconds: Math.floor(this.settings.lifetimeMs / 1000),
      rateLimitHeaders,
    };
  }

  /** Checks a bearer token: it must have been issued here, be unrevoked and not yet expired. */
  verify(accessToken: string): TokenVerdict {
    const record = this.tokens.get(accessToken);
    if (record === undefined) {
      return { outcome: "failed", cause: "unknown access token" };
    }
    if (record.revoked) {
      return { outcome: "failed", cause: "revoked access token" };
    }
    if (this.now() >= record.expiresAt) {
      return { outcome: "failed", cause: "expired access token" };
    }
    return { outcome: "ok", clientId: record.clientId };
  }

  /**
   * Revokes one token of `clientId`, as `POST /api/oauth/revoke` does. Returns false, and changes nothing, for an
   * unknown token or one that belongs to another client.
   */
  revoke(accessToken: string, clientId: string): boolean {
    const record = this.tokens.get(accessToken);
    if (record === undefined || record.clientId !== clientId) {
      return false;
    }
    record.revoked = true;
    return true;
  }

  /** Revokes every active token, or those of one client; returns how many were active. */
  revokeAll(clientId?: string): number {
    const now = this.now();
    let revoked = 0;
    for (const record of this.tokens.values()) {
      if ((clientId === undefined || record.clientId === clientId) && !record.revoked && now < record.expiresAt) {
        record.revoked = true;
        revoked += 1;
      }
    }
    return revoked;
  }

  /** Returns the counts of one client; zeros for a client that never received a token. */
  summary(clientId: string): ClientTokenSummary {
    const count = this.counts.get(clientId);
    return {
      issued: count?.issued ?? 0,
      active: this.countActive(clientId, this.now()),
      lastIssuedAt: count === undefined ? null : new Date(count.lastIssuedAt).toISOString(),
    };
  }

  /** Forgets every token, count and rate limit window, then applies `settings`. */
  reset(settings: AccessTokenSettings): void {
    this.tokens.clear();
    this.recentIssues.clear();
    this.counts.clear();
    this.settings = settings;
  }

  private countActive(clientId: string, now: number): number {
    let active = 0;
    for (const record of this.tokens.values()) {
      if (record.clientId === clientId && !record.revoked && now < record.expiresAt) {
        active += 1;
      }
    }
    return active;
  }

  private remember(accessToken: string, record: TokenRecord): void {
    this.tokens.set(accessToken, record);
    // Map iteration follows insertion order, so the first entries are the oldest.
    for (const oldest of this.tokens.keys()) {
      if (this.tokens.size <= MAX_TOKENS) {
        break;
      }
      this.tokens.delete(oldest);
    }
  }
}
