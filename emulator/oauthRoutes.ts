import { timingSafeEqual } from "node:crypto";
import type { AccessTokenIssuer } from "./accessTokens";
import {
  activeTokenLimitReached,
  invalidTokenRequest,
  methodNotAllowed,
  tokenRequestsRateLimited,
  unsupportedGrantType,
} from "./errors";
import type { ServiceAccount } from "./types";
import { ATLAS_MEDIA_TYPE } from "./types";

/** Path of the OAuth 2.0 token endpoint. */
export const TOKEN_PATH = "/api/oauth/token";

/** Path of the OAuth 2.0 token revocation endpoint (RFC 7009). */
export const REVOKE_PATH = "/api/oauth/revoke";

/** Content-Type of a successful token response, as the Atlas documentation example shows it. */
export const TOKEN_RESPONSE_CONTENT_TYPE = `${ATLAS_MEDIA_TYPE};charset=utf-8`;

/** Result of HTTP Basic client authentication, with a `cause` for the request log when it failed. */
export type ClientVerdict =
  { outcome: "ok"; account: ServiceAccount } | { outcome: "missing" } | { outcome: "failed"; cause: string };

/** Response of an OAuth route after client authentication. */
export interface OAuthResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

/** True for the paths of the OAuth routes; requests to them need client credentials instead of an API key. */
export function isOAuthPath(path: string): boolean {
  return path === TOKEN_PATH || path === REVOKE_PATH;
}

/** Throws 405 for any method but POST; the OAuth routes accept nothing else. */
export function requirePost(method: string, path: string): void {
  if (method !== "POST") {
    throw methodNotAllowed(method, path, ["POST"]);
  }
}

/** Decodes one `application/x-www-form-urlencoded` component; returns undefined when it is not valid. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks HTTP Basic client credentials. RFC 6749 has clients form-encode the client id and secret before Basic
 * encoding, and some clients skip that step, so both the raw and the decoded values are accepted.
 */
export function authenticateClient(
  header: string | undefined,
  findAccount: (clientId: string) => ServiceAccount | undefined,
): ClientVerdict {
  if (header === undefined || header.trim() === "") {
    return { outcome: "missing" };
  }
  const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) {
    return { outcome: "failed", cause: "not a Basic authorization" };
  }
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) {
    return { outcome: "failed", cause: "malformed Basic credentials" };
  }
  const rawId = decoded.slice(0, colon);
  const rawSecret = decoded.slice(colon + 1);
  const account = findAccount(rawId) ?? findAccount(formDecode(rawId) ?? rawId);
  if (account === undefined) {
    return { outcome: "failed", cause: "unknown client id" };
  }
  const decodedSecret = formDecode(rawSecret);
  const secretMatches =
    sameText(rawSecret, account.clientSecret) ||
    (decodedSecret !== undefined && sameText(decodedSecret, account.clientSecret));
  return secretMatches ? { outcome: "ok", account } : { outcome: "failed", cause: "wrong client secret" };
}

/** Parses a form body; throws 400 `invalid_request` unless the Content-Type is `application/x-www-form-urlencoded`. */
export function parseForm(contentType: string | undefined, rawBody: string): URLSearchParams {
  const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    throw invalidTokenRequest(
      `The request body must be application/x-www-form-urlencoded, not ${contentType ?? "missing"}.`,
    );
  }
  return new URLSearchParams(rawBody);
}

/**
 * Runs `POST /api/oauth/token` for an authenticated client: checks the form and the grant type (400), the
 * client's token rate limit (429 `RATE_LIMITED`) and its active tokens (403), then issues a token.
 */
export function issueToken(
  tokens: AccessTokenIssuer,
  account: ServiceAccount,
  contentType: string | undefined,
  rawBody: string,
): OAuthResult {
  const form = parseForm(contentType, rawBody);
  const grantType = form.get("grant_type");
  if (grantType === null || grantType === "") {
    throw invalidTokenRequest("The grant_type parameter is missing; use grant_type=client_credentials.");
  }
  if (grantType !== "client_credentials") {
    throw unsupportedGrantType(grantType);
  }
  const result = tokens.issue(account.clientId);
  switch (result.outcome) {
    case "rate-limited": {
      const error = tokenRequestsRateLimited(TOKEN_PATH, result.limit, result.windowMs, result.retryAfterSeconds);
      error.headers["RateLimit-Limit"] = String(result.limit);
      error.headers["RateLimit-Remaining"] = "0";
      throw error;
    }
    case "too-many-active":
      throw activeTokenLimitReached(result.limit);
    case "issued":
      return {
        status: 200,
        headers: { ...result.rateLimitHeaders, "Cache-Control": "no-store" },
        body: { access_token: result.accessToken, token_type: "Bearer", expires_in: result.expiresInSeconds },
        contentType: TOKEN_RESPONSE_CONTENT_TYPE,
      };
  }
}

/**
 * Runs `POST /api/oauth/revoke` for an authenticated client: form field `token` is required (400). As RFC 7009
 * requires, an unknown token or one of another client also gets 200, with no body.
 */
export function revokeToken(
  tokens: AccessTokenIssuer,
  account: ServiceAccount,
  contentType: string | undefined,
  rawBody: string,
): OAuthResult {
  const form = parseForm(contentType, rawBody);
  const token = form.get("token");
  if (token === null || token === "") {
    throw invalidTokenRequest("The token parameter is missing.");
  }
  tokens.revoke(token, account.clientId);
  return { status: 200, headers: {} };
}
