/** Maximum number of entries kept; older entries are dropped first. */
const MAX_ENTRIES = 10_000;

/** Outcome of digest authentication for a request. The key itself is never recorded. */
export type AuthOutcome = "ok" | "missing" | "failed" | "stale" | "not-required" | "not-checked";

/** One Atlas API request and the response the emulator sent. */
export interface RequestLogEntry {
  /** ISO 8601 time when the request arrived. */
  time: string;
  method: string;
  path: string;
  /** Query string without the leading `?`; empty when there is none. */
  query: string;
  /** HTTP status sent, or 0 when the connection was dropped. */
  status: number;
  durationMs: number;
  auth: AuthOutcome;
  /** Why digest authentication failed, such as "wrong response hash"; null unless `auth` is "failed". */
  authFailure: string | null;
  /** `errorCode` of an Atlas error body, or null for a success. */
  errorCode: string | null;
  /** Id of the fault rule applied to the request, or null. */
  fault: string | null;
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
