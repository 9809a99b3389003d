/** Maximum number of entries kept; older entries are dropped first. */
const MAX_ENTRIES = 10_000;

/** Outcome of authentication for a request. No key, secret or token is ever recorded. */
export type AuthOutcome = "ok" | "missing" | "failed" | "stale" | "not-required" | "not-checked";

/** Scheme of the `Authorization` header that was checked: digest or bearer on API routes, basic on OAuth routes. */
export type AuthScheme = "digest" | "bearer" | "basic";

/** One Atlas API request and the response the emulator sent. */
export interface RequestLogEntry {
  /** ISO 8601 time when the request arrived. */
  time: string;
  method: string;
  path: string;
  /** `Host` header as received, with the port when the client sent one, or null when the request had none. */
  host: string | null;
  /** True when the request arrived on the HTTPS listener. */
  tls: boolean;
  /** TLS server name (SNI) the client sent, or null for plain HTTP and for a client that sent none. */
  serverName: string | null;
  /** Query string without the leading `?`, with credential parameters redacted; empty when there is none. */
  query: string;
  /** HTTP status sent, or 0 when the connection was dropped. */
  status: number;
  durationMs: number;
  auth: AuthOutcome;
  /** Scheme that was checked; null when the request had no `Authorization` header or one of another scheme. */
  authScheme: AuthScheme | null;
  /** Cause of an authentication failure, such as "wrong response hash" or "expired access token"; else null. */
  authFailure: string | null;
  /** `errorCode` of an Atlas error body or `error` of an OAuth error body; null for a success. */
  errorCode: string | null;
  /** Id of the fault rule applied to the request, or null. */
  fault: string | null;
}

/** Query parameters whose values are credentials; a client should never send them, but the log must not keep them. */
const CREDENTIAL_PARAMETERS: ReadonlySet<string> = new Set([
  "access_token",
  "client_secret",
  "token",
  "private_key",
  "privatekey",
]);

/** Returns the query string with the values of credential parameters replaced by `REDACTED`. */
export function redactQuery(query: string): string {
  if (query === "") {
    return query;
  }
  return query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const name = equals < 0 ? pair : pair.slice(0, equals);
      let decodedName = name;
      try {
        decodedName = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // A malformed escape leaves the raw name, which is then compared as is.
      }
      return equals >= 0 && CREDENTIAL_PARAMETERS.has(decodedName.toLowerCase()) ? `${name}=REDACTED` : pair;
    })
    .join("&");
}

/** Request log of the Atlas API routes; control routes are not recorded. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    }
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
