/** Versioned media type of the Atlas Admin API resources that the emulator serves. */
export const ATLAS_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";

/** Connection statuses that the normal interface endpoint lifecycle passes through. */
export type LifecycleConnectionStatus = "PENDING_ACCEPTANCE" | "PENDING" | "AVAILABLE" | "REJECTED" | "DELETING";

/** Statuses of an Atlas private endpoint service. */
export type EndpointServiceStatus = "INITIATING" | "WAITING_FOR_USER" | "AVAILABLE" | "FAILED" | "DELETING";

export const ENDPOINT_SERVICE_STATUSES: readonly EndpointServiceStatus[] = [
  "INITIATING",
  "WAITING_FOR_USER",
  "AVAILABLE",
  "FAILED",
  "DELETING",
];

/** Durations of the timed lifecycle phases, in milliseconds. */
export interface TransitionTiming {
  /** Time a new endpoint service spends in INITIATING before it becomes ready. */
  serviceInitiatingMs: number;
  /** Time a deleted endpoint service spends in DELETING before GET returns 404. */
  serviceDeletingMs: number;
  /** Time a new interface endpoint spends in PENDING_ACCEPTANCE. */
  endpointPendingAcceptanceMs: number;
  /** Time an interface endpoint spends in PENDING before it reaches its final status. */
  endpointPendingMs: number;
  /** Time a deleted interface endpoint spends in DELETING before GET returns 404. */
  endpointDeletingMs: number;
}

export const TIMING_KEYS: readonly (keyof TransitionTiming)[] = [
  "serviceInitiatingMs",
  "serviceDeletingMs",
  "endpointPendingAcceptanceMs",
  "endpointPendingMs",
  "endpointDeletingMs",
];

/** Default phase durations: about one second each, so a full create takes about three seconds. */
export const DEFAULT_TIMING: Readonly<TransitionTiming> = {
  serviceInitiatingMs: 1000,
  serviceDeletingMs: 1000,
  endpointPendingAcceptanceMs: 1000,
  endpointPendingMs: 1000,
  endpointDeletingMs: 1000,
};

/** Default lifetime of a digest nonce, in milliseconds. */
export const DEFAULT_NONCE_LIFETIME_MS = 60_000;

/** A global token bucket: `burst` tokens at most, refilled at `requestsPerSecond`. */
export interface RateLimitConfig {
  requestsPerSecond: number;
  /** Bucket capacity; defaults to `requestsPerSecond` rounded up, and at least 1. */
  burst?: number;
}

/** A programmatic API key that the emulator accepts. */
export interface ApiKey {
  publicKey: string;
  privateKey: string;
  /** Projects the key may use; undefined means every project. */
  projectIds?: string[];
}

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free port. */
  port?: number;
  /** Public key of the accepted API key; random 8 hex characters by default. */
  publicKey?: string;
  /** Private key of the accepted API key; a random UUID by default. */
  privateKey?: string;
  /** Id of the project that exists at start (24 lowercase hex); random by default. */
  projectId?: string;
  /** Phase durations in milliseconds; missing fields take {@link DEFAULT_TIMING}. */
  timing?: Partial<TransitionTiming>;
  /** Digest nonce lifetime in milliseconds; {@link DEFAULT_NONCE_LIFETIME_MS} by default. */
  nonceLifetimeMs?: number;
  /** Global rate limit on authenticated Atlas API requests; none by default. */
  rateLimit?: RateLimitConfig | null;
  /** When true, the service goes to DELETING once its last interface endpoint is gone. Default false. */
  removeServiceWithLastEndpoint?: boolean;
  /** Called once per finished request with a one-line summary; never contains a credential. */
  onRequestLogged?: (line: string) => void;
}

/** AWS endpoint service object as the Atlas Admin API v2 returns it. */
export interface EndpointServiceBody {
  id: string;
  cloudProvider: "AWS";
  endpointServiceName: string | null;
  errorMessage: string | null;
  interfaceEndpoints: string[];
  regionName: string;
  status: string;
}

/** AWS interface endpoint object as the Atlas Admin API v2 returns it; it has no `id` field. */
export interface InterfaceEndpointBody {
  cloudProvider: "AWS";
  interfaceEndpointId: string;
  connectionStatus: string;
  deleteRequested: boolean;
  errorMessage: string | null;
}

/** Atlas error body. `error` is the HTTP status and `reason` its standard phrase. */
export interface AtlasErrorBody {
  detail: string;
  error: number;
  errorCode: string;
  parameters: unknown[];
  reason: string;
}
