/** One entry of the emulator's request log (`GET /__emulator/requests`), the fields the benchmark reads. */
export interface LoggedRequest {
  /** ISO 8601 time when the request arrived. */
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** `ok`, `missing` (no Authorization header: a digest challenge), `failed`, `stale` and others. */
  auth: string;
}

/** Operation of a request, decided by its method and path. */
export type RequestKind =
  | "serviceCreate"
  | "serviceRead"
  | "serviceDelete"
  | "serviceList"
  | "linkCreate"
  | "linkRead"
  | "linkDelete"
  | "other";

/** Requests of one kind: those that passed authentication, digest challenges (401 without credentials), and others. */
export interface KindCount {
  authenticated: number;
  challenges: number;
  /** Requests rejected with stale or wrong digest credentials. */
  authFailures: number;
}

/** Request counts of one Pulumi command, by kind. */
export type RequestCounts = Record<RequestKind, KindCount>;

const GROUP = "^/api/atlas/v2/groups/[^/]+/privateEndpoint";
const SERVICE_CREATE = new RegExp(`${GROUP}/endpointService$`);
const SERVICE_LIST = new RegExp(`${GROUP}/AWS/endpointService$`);
const SERVICE = new RegExp(`${GROUP}/AWS/endpointService/[^/]+$`);
const LINK_CREATE = new RegExp(`${GROUP}/AWS/endpointService/[^/]+/endpoint$`);
const LINK = new RegExp(`${GROUP}/AWS/endpointService/[^/]+/endpoint/([^/]+)$`);

/** Reads the emulator's request log, oldest first. */
export async function fetchRequestLog(baseUrl: string): Promise<LoggedRequest[]> {
  const response = await fetch(`${baseUrl}/__emulator/requests`);
  if (!response.ok) {
    throw new Error(`GET /__emulator/requests returned ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { requests: LoggedRequest[] }).requests;
}

/** Returns the kind of a logged request. */
export function requestKind(entry: LoggedRequest): RequestKind {
  const { method, path } = entry;
  if (method === "POST" && SERVICE_CREATE.test(path)) {
    return "serviceCreate";
  }
  if (method === "GET" && SERVICE_LIST.test(path)) {
    return "serviceList";
  }
  if (SERVICE.test(path)) {
    if (method === "GET") {
      return "serviceRead";
    }
    return method === "DELETE" ? "serviceDelete" : "other";
  }
  if (method === "POST" && LINK_CREATE.test(path)) {
    return "linkCreate";
  }
  if (LINK.test(path)) {
    if (method === "GET") {
      return "linkRead";
    }
    return method === "DELETE" ? "linkDelete" : "other";
  }
  return "other";
}

/** Returns the VPC endpoint id in the path of a link read or delete, or undefined for other requests. */
export function interfaceEndpointIdOf(entry: LoggedRequest): string | undefined {
  return LINK.exec(entry.path)?.[1];
}

/** Returns true for the 401 of a request sent without credentials, the first half of a digest exchange. */
export function isChallenge(entry: LoggedRequest): boolean {
  return entry.status === 401 && entry.auth === "missing";
}

/** Counts the requests of a log by kind. */
export function countRequests(entries: LoggedRequest[]): RequestCounts {
  const kinds: RequestKind[] = [
    "serviceCreate",
    "serviceRead",
    "serviceDelete",
    "serviceList",
    "linkCreate",
    "linkRead",
    "linkDelete",
    "other",
  ];
  const counts = Object.fromEntries(
    kinds.map((kind) => [kind, { authenticated: 0, challenges: 0, authFailures: 0 }]),
  ) as RequestCounts;
  for (const entry of entries) {
    const count = counts[requestKind(entry)];
    if (entry.auth === "ok") {
      count.authenticated += 1;
    } else if (isChallenge(entry)) {
      count.challenges += 1;
    } else {
      count.authFailures += 1;
    }
  }
  return counts;
}

/** Milliseconds since the epoch at which a logged request arrived. */
export function arrivalMs(entry: LoggedRequest): number {
  return Date.parse(entry.time);
}
