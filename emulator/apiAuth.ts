import type { AccessTokenIssuer } from "./accessTokens";
import type { DigestAuthenticator } from "./digestAuth";
import { DIGEST_REALM } from "./digestAuth";
import type { AuthScheme } from "./requestLog";
import type { ServiceAccountRegistry } from "./serviceAccounts";
import type { Principal } from "./types";

/**
 * Result of authenticating an Atlas API request. `scheme` is the scheme of the `Authorization` header that was
 * checked, or null when the header is missing or names a scheme the API does not accept.
 */
export type ApiAuthVerdict =
  | { outcome: "ok"; scheme: AuthScheme; principal: Principal }
  | { outcome: "missing"; scheme: null }
  | { outcome: "stale"; scheme: "digest" }
  | { outcome: "failed"; scheme: AuthScheme | null; cause: string };

const BEARER_PATTERN = /^\s*Bearer\s+(\S+)\s*$/i;
const DIGEST_PATTERN = /^\s*Digest\s/i;

/**
 * Authenticates Atlas API requests with either a digest response for an API key or a bearer token from the token
 * endpoint. A header that is not `Bearer` goes to digest authentication, so a request without credentials gets the
 * digest challenge.
 */
export class ApiAuthenticator {
  constructor(
    private readonly digest: DigestAuthenticator,
    private readonly tokens: AccessTokenIssuer,
    private readonly accounts: ServiceAccountRegistry,
  ) {}

  verify(method: string, target: string, header: string | undefined): ApiAuthVerdict {
    const bearer = header === undefined ? null : BEARER_PATTERN.exec(header);
    if (bearer !== null) {
      const verdict = this.tokens.verify(bearer[1]);
      if (verdict.outcome === "failed") {
        return { outcome: "failed", scheme: "bearer", cause: verdict.cause };
      }
      const account = this.accounts.find(verdict.clientId);
      if (account === undefined) {
        return { outcome: "failed", scheme: "bearer", cause: "service account no longer exists" };
      }
      return { outcome: "ok", scheme: "bearer", principal: { projectIds: account.projectIds } };
    }

    const verdict = this.digest.verify(method, target, header);
    switch (verdict.outcome) {
      case "ok":
        return { outcome: "ok", scheme: "digest", principal: { projectIds: verdict.key.projectIds } };
      case "missing":
        return { outcome: "missing", scheme: null };
      case "stale":
        return { outcome: "stale", scheme: "digest" };
      case "failed":
        return { outcome: "failed", scheme: DIGEST_PATTERN.test(header ?? "") ? "digest" : null, cause: verdict.cause };
    }
  }

  /**
   * Returns the `WWW-Authenticate` value for a rejected request: an RFC 6750 Bearer challenge when a bearer token
   * failed, and a new digest challenge otherwise.
   */
  challenge(verdict: Exclude<ApiAuthVerdict, { outcome: "ok" }>): string {
    if (verdict.scheme === "bearer") {
      return `Bearer realm="${DIGEST_REALM}", error="invalid_token"`;
    }
    return this.digest.challenge(verdict.outcome === "stale");
  }
}
