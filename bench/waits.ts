import type { LoggedRequest, RequestKind } from "./requestLog";
import { arrivalMs, interfaceEndpointIdOf, requestKind } from "./requestLog";

/**
 * One wait of a provider for a status change, read from the emulator's request log. Times are milliseconds since the
 * epoch, taken from request arrival times.
 */
export interface ObservedWait {
  /** The object waited on: a VPC endpoint id, or `endpoint service`. */
  subject: string;
  /** Arrival of the create or delete request. */
  requestMs: number;
  /** When the emulator made the change: `requestMs` plus the configured phase durations. */
  changedMs: number;
  /** Arrival of the read that returned the new state: the object's last read in the command. */
  noticedMs: number;
  /** `noticedMs - changedMs`: the polling cost. */
  latencyMs: number;
  /** `noticedMs - requestMs`: the time the provider spent waiting. */
  waitedMs: number;
  /** Authenticated reads of the object after the request, the one that noticed included. */
  polls: number;
}

/** Median, maximum and the share of the waiting time that polling cost, over a set of waits. */
export interface WaitSummary {
  count: number;
  medianLatencyMs: number;
  maxLatencyMs: number;
  /** Median of `latencyMs / waitedMs`. */
  medianLatencyShare: number;
  /** Maximum of `latencyMs / waitedMs`. */
  maxLatencyShare: number;
  medianWaitedMs: number;
  medianPolls: number;
}

function entriesOf(entries: LoggedRequest[], kind: RequestKind): LoggedRequest[] {
  return entries.filter((entry) => entry.auth === "ok" && requestKind(entry) === kind);
}

function waitFrom(
  subject: string,
  request: LoggedRequest,
  changeAfterMs: number,
  reads: LoggedRequest[],
): ObservedWait {
  const requestMs = arrivalMs(request);
  const later = reads.filter((read) => arrivalMs(read) >= requestMs);
  const last = later.at(-1);
  if (last === undefined) {
    throw new Error(`No read of ${subject} followed its ${request.method} at ${request.time}`);
  }
  const noticedMs = arrivalMs(last);
  const changedMs = requestMs + changeAfterMs;
  return {
    subject,
    requestMs,
    changedMs,
    noticedMs,
    latencyMs: noticedMs - changedMs,
    waitedMs: noticedMs - requestMs,
    polls: later.length,
  };
}

/**
 * Returns the wait of each link created in the log of one `pulumi up`, which became AVAILABLE `readyAfterMs` after its
 * POST. A POST path does not name the VPC endpoint, so POSTs and links are paired in time order: each link's first
 * read follows its POST by the same first poll delay. Throws when the numbers of POSTs and polled links differ.
 */
export function linkCreateWaits(entries: LoggedRequest[], readyAfterMs: number): ObservedWait[] {
  const posts = entriesOf(entries, "linkCreate").filter((entry) => entry.status === 200);
  const readsById = groupReads(entriesOf(entries, "linkRead"));
  const ids = [...readsById.keys()].sort((a, b) => arrivalMs(readsById.get(a)![0]) - arrivalMs(readsById.get(b)![0]));
  if (ids.length !== posts.length) {
    throw new Error(`The log has ${posts.length} link POSTs but reads of ${ids.length} links`);
  }
  return ids.map((id, index) => waitFrom(id, posts[index], readyAfterMs, readsById.get(id)!));
}

/** Returns the wait of each link deleted in the log of one `pulumi destroy`, gone `goneAfterMs` after its DELETE. */
export function linkDeleteWaits(entries: LoggedRequest[], goneAfterMs: number): ObservedWait[] {
  const readsById = groupReads(entriesOf(entries, "linkRead"));
  return entriesOf(entries, "linkDelete")
    .filter((entry) => entry.status === 204)
    .map((entry) => {
      const id = interfaceEndpointIdOf(entry)!;
      return waitFrom(id, entry, goneAfterMs, readsById.get(id) ?? []);
    });
}

/** Returns the wait of the endpoint service for the request of `kind`, changed `changeAfterMs` after it. */
export function serviceWait(
  entries: LoggedRequest[],
  kind: "serviceCreate" | "serviceDelete",
  changeAfterMs: number,
): ObservedWait | undefined {
  const request = entriesOf(entries, kind).find((entry) => entry.status === 200 || entry.status === 204);
  if (request === undefined) {
    return undefined;
  }
  return waitFrom("endpoint service", request, changeAfterMs, entriesOf(entries, "serviceRead"));
}

function groupReads(reads: LoggedRequest[]): Map<string, LoggedRequest[]> {
  const byId = new Map<string, LoggedRequest[]>();
  for (const read of reads) {
    const id = interfaceEndpointIdOf(read)!;
    byId.set(id, [...(byId.get(id) ?? []), read]);
  }
  return byId;
}

/** Returns the median of `values`, the mean of the middle two for an even count; NaN for none. */
export function median(values: number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Summarizes a non-empty set of waits. */
export function summarizeWaits(waits: ObservedWait[]): WaitSummary {
  const shares = waits.map((wait) => wait.latencyMs / wait.waitedMs);
  return {
    count: waits.length,
    medianLatencyMs: median(waits.map((wait) => wait.latencyMs)),
    maxLatencyMs: Math.max(...waits.map((wait) => wait.latencyMs)),
    medianLatencyShare: median(shares),
    maxLatencyShare: Math.max(...shares),
    medianWaitedMs: median(waits.map((wait) => wait.waitedMs)),
    medianPolls: median(waits.map((wait) => wait.polls)),
  };
}
