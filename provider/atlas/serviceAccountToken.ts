import { createHash } from "node:crypto";

import type { AtlasRetryEvent } from "./client";
import { AtlasApiError, AtlasRequestError } from "./errors";
import { classifyNetworkError, isTransientStatus, nextRetryStep, parseRetryAfter } from "./retry";
import type { RetryRuntime, RetrySettings } from "./retry";
import { sanitizeError } from "./transport";
import type { AtlasHttpRequest, AtlasResponse } from "./transport";

/** Path of the Atlas OAuth 2.0 token endpoint under the base URL. */
export const TOKEN_PATH = "/api/oauth/token";

/**
 * Time in milliseconds before its expiry at which a cached token is renewed. Tokens that live less than twice this
 * long are renewed after half their lifetime instead.
 */
export const TOKEN_RENEWAL_MARGIN_MS = 60_000;

/** Transport and retry settings of a token request, passed by the client that needs the token. */
export interface TokenRequestContext {
  send(request: AtlasHttpRequest): Promise<AtlasResponse>;
  retry: RetrySettings;
  runtime: RetryRuntime;
  /** Time limit in milliseconds for one attempt. */
  timeoutMs: number;
  userAgent: string;
  /** Called before the wait of each retry. */
  onRetry?: (event: AtlasRetryEvent) => void;
}

interface CachedToken {
  value: string;
  /** Time in milliseconds (of `RetryRuntime.now`) from which the token is renewed before use. */
  renewAtMs: number;
}

/**
 * Access tokens of one Atlas service account, fetched with the OAuth 2.0 client credentials grant and cached. The
 * cached token is reused until shortly before it expires, and callers that need a token while one is being fetched
 * share that request, so parallel calls fetch one token. Token requests are retried like API calls: 408, 429 and
 * 5xx responses and network failures, because fetching a token twice does no harm. The client secret and the tokens
 * never appear in errors.
 */
export class ServiceAccountTokenSource {
  readonly #tokenUrl: URL;
  readonly #clientId: string;
  readonly #clientSecret: string;
  #cached: CachedToken | undefined;
  #pending: Promise<string> | undefined;
  #tokensFetched = 0;

  /** Creates a source without sending anything; `baseUrl` is a normalized Atlas base URL. */
  constructor(baseUrl: string, clientId: string, clientSecret: string) {
    this.#tokenUrl = new URL(`${baseUrl}${TOKEN_PATH}`);
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
  }

  /** Number of tokens this source has received from the token endpoint. */
  get tokensFetched(): number {
    return this.#tokensFetched;
  }

  /**
   * Returns the cached token, or fetches a new one when none is cached or the cached one is due for renewal. Rejects
   * with {@link AtlasApiError} for a non-2xx response (401 when Atlas rejects the client id or secret), and with
   * {@link AtlasRequestError} when no usable response arrives, after the retries that `context.retry` allows.
   */
  async token(context: TokenRequestContext): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && context.runtime.now() < cached.renewAtMs) {
      return cached.value;
    }
    this.#pending ??= this.#fetch(context).finally(() => {
      this.#pending = undefined;
    });
    return await this.#pending;
  }

  /** Drops the cached token when it is `token`, after Atlas rejected it, so the next call fetches a new one. */
  invalidate(token: string): void {
    if (this.#cached?.value === token) {
      this.#cached = undefined;
    }
  }

  /** Replaces the client secret and the cached token wherever they occur in `text`. */
  redact(text: string): string {
    let redacted = text;
    for (const secret of [this.#clientSecret, this.#cached?.value]) {
      if (secret !== undefined && secret !== "") {
        redacted = redacted.split(secret).join("[redacted]");
      }
    }
    return redacted;
  }

  async #fetch(context: TokenRequestContext): Promise<string> {
    const startMs = context.runtime.now();
    const path = this.#tokenUrl.pathname;
    for (let attempt = 1; ; attempt++) {
      const attemptStartMs = context.runtime.now();
      const outcome = await this.#attempt(context);
      if ("response" in outcome && outcome.response.status >= 200 && outcome.response.status <= 299) {
        return this.#accept(outcome.response, attemptStartMs);
      }

      let failed: { retryable: boolean; retryAfterMs?: number; failure: string; statusCode?: number };
      let toError: (attempts: number, retryNote: string | undefined) => Error;
      if ("response" in outcome) {
        const { response } = outcome;
        const retryAfterSeconds = parseRetryAfter(response.headers["retry-after"], context.runtime.now());
        toError = (attempts, retryNote) =>
          new AtlasApiError({
            method: "POST",
            path,
            statusCode: response.status,
            body: this.redact(response.text),
            retryAfterSeconds,
            attempts,
            retryNote,
            authMethod: "serviceAccount",
          });
        const probe = toError(1, undefined) as AtlasApiError;
        const honoursRetryAfter = response.status === 429 || response.status === 503;
        failed = {
          retryable: isTransientStatus(response.status),
          retryAfterMs:
            honoursRetryAfter && probe.retryAfterSeconds !== undefined ? probe.retryAfterSeconds * 1000 : undefined,
          failure: `returned ${response.status}${probe.errorCode ? ` ${probe.errorCode}` : ""}`,
          statusCode: response.status,
        };
      } else {
        const cause = sanitizeError(outcome.error, (text) => this.redact(text));
        const failure = outcome.timedOut ? `timed out after ${context.timeoutMs} ms` : cause.message;
        toError = (attempts, retryNote) =>
          new AtlasRequestError({
            method: "POST",
            path,
            failure,
            timedOut: outcome.timedOut,
            cause,
            attempts,
            retryNote,
          });
        const code = (outcome.error as { code?: unknown } | null)?.code;
        let logFailure = `failed: ${failure}`;
        if (outcome.timedOut) {
          logFailure = failure;
        } else if (typeof code === "string" && code !== "") {
          logFailure = `failed with ${code}`;
        }
        failed = {
          retryable: classifyNetworkError(outcome.error, outcome.timedOut) !== "unknown",
          failure: logFailure,
        };
      }

      const elapsedMs = context.runtime.now() - startMs;
      const step = nextRetryStep(failed, attempt, elapsedMs, context.retry, () => context.runtime.random());
      if (step.stop) {
        throw toError(attempt, step.note);
      }
      context.onRetry?.({
        method: "POST",
        path,
        statusCode: failed.statusCode,
        failure: failed.failure,
        retry: attempt,
        maxRetries: context.retry.maxAttempts - 1,
        delayMs: step.delayMs,
      });
      await context.runtime.sleep(step.delayMs);
    }
  }

  /** Sends one token request within `context.timeoutMs`. */
  async #attempt(
    context: TokenRequestContext,
  ): Promise<{ response: AtlasResponse } | { error: unknown; timedOut: boolean }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, context.timeoutMs);
    try {
      // RFC 6749, section 2.3.1: the client id and secret are form-encoded before the Basic encoding.
      const basic = Buffer.from(`${formEncode(this.#clientId)}:${formEncode(this.#clientSecret)}`).toString("base64");
      const response = await context.send({
        method: "POST",
        url: this.#tokenUrl,
        content: "grant_type=client_credentials",
        contentType: "application/x-www-form-urlencoded",
        accept: "application/json",
        authorization: `Basic ${basic}`,
        userAgent: context.userAgent,
        timeoutMs: context.timeoutMs,
        signal: controller.signal,
      });
      return { response };
    } catch (error) {
      return { error, timedOut };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reads the token response and caches the token until shortly before `expires_in`, counted from `startMs`, the
   * start of the request. A response without `expires_in` keeps the token until Atlas rejects it.
   */
  #accept(response: AtlasResponse, startMs: number): string {
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const token = fields.access_token;
    const tokenType = fields.token_type;
    if (typeof token !== "string" || token === "" || (tokenType !== undefined && !isBearer(tokenType))) {
      throw new AtlasRequestError({
        method: "POST",
        path: this.#tokenUrl.pathname,
        failure: `Atlas returned ${response.status} without a bearer access_token in the token response`,
      });
    }
    let renewAtMs = Number.POSITIVE_INFINITY;
    if (typeof fields.expires_in === "number" && Number.isFinite(fields.expires_in)) {
      const lifetimeMs = Math.max(0, fields.expires_in * 1000);
      renewAtMs = startMs + lifetimeMs - Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetimeMs / 2);
    }
    this.#cached = { value: token, renewAtMs };
    this.#tokensFetched += 1;
    return token;
  }
}

function isBearer(tokenType: unknown): boolean {
  return typeof tokenType === "string" && tokenType.toLowerCase() === "bearer";
}

/** Encodes one value as application/x-www-form-urlencoded does. */
function formEncode(value: string): string {
  return new URLSearchParams([["v", value]]).toString().slice(2);
}

// One token source per service account and base URL in this process, so that every client of the process shares
// its token. Keys are SHA-256 hashes, so the map keys contain no client secret.
const sharedSources = new Map<string, ServiceAccountTokenSource>();

/**
 * Returns this process's token source for the service account `clientId` at `baseUrl`, creating it on first use.
 * Clients with equal arguments share one cached token.
 */
export function sharedTokenSource(baseUrl: string, clientId: string, clientSecret: string): ServiceAccountTokenSource {
  const key = createHash("sha256")
    .update(JSON.stringify([baseUrl, clientId, clientSecret]))
    .digest("hex");
  let source = sharedSources.get(key);
  if (source === undefined) {
    source = new ServiceAccountTokenSource(baseUrl, clientId, clientSecret);
    sharedSources.set(key, source);
  }
  return source;
}
