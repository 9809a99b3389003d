/** Versioned media type of the Atlas Admin API resources that the emulator serves. */
export const ATLAS_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";

/** Connection statuses that the normal interface endpoint lifecycle passes through. */
export type LifecycleConnectionStatus = "PENDING_ACCEPTANCE" | "PENDING" | "AVAILABLE" | "REJECTED" | "DELETING";

/** Statuses of an Atlas private endpoint service. */
export type EndpointServiceStatus = "INITIATING" | "WAITING_FOR_USER" | "AVAILABLE" | "FAILED" | "DELETING";

/** Every endpoint service status the emulator reports. */
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
  /** Time an interface endpoint created through the legacy v1.0 API spends in NONE before PENDING_ACCEPTANCE. */
  endpointNoneMs: number;
  /** Time a new interface endpoint spends in PENDING_ACCEPTANCE. */
  endpointPendingAcceptanceMs: number;
  /** Time an interface endpoint spends in PENDING before it reaches its final status. */
  endpointPendingMs: number;
  /** Time a deleted interface endpoint spends in DELETING before GET returns 404. */
  endpointDeletingMs: number;
}

/** The names of the phase durations in {@link TransitionTiming}, which the timing control route accepts. */
export const TIMING_KEYS: readonly (keyof TransitionTiming)[] = [
  "serviceInitiatingMs",
  "serviceDeletingMs",
  "endpointNoneMs",
  "endpointPendingAcceptanceMs",
  "endpointPendingMs",
  "endpointDeletingMs",
];

/**
 * Default phase durations: about one second each, so a full create takes about three seconds. NONE lasts 0 ms,
 * so legacy interface endpoints skip it unless a test sets it.
 */
export const DEFAULT_TIMING: Readonly<TransitionTiming> = {
  serviceInitiatingMs: 1000,
  serviceDeletingMs: 1000,
  endpointNoneMs: 0,
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

/** A service account that may obtain OAuth access tokens with the client credentials grant. */
export interface ServiceAccount {
  clientId: string;
  clientSecret: string;
  /** Projects the account's tokens may use; undefined means every project. */
  projectIds?: string[];
}

/** Per-client limit on the token endpoint: at most `limit` tokens issued in any window of `windowMs`. */
export interface TokenRateLimitConfig {
  limit: number;
  /** Length of the sliding window in milliseconds; 60000 by default. */
  windowMs?: number;
}

/** Default lifetime of an access token: 3600 s, as Atlas issues them, in milliseconds. */
export const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;

/** Default token endpoint limit: 10 tokens per client and minute, the limit Atlas reports in its 429 body. */
export const DEFAULT_TOKEN_RATE_LIMIT: Readonly<Required<TokenRateLimitConfig>> = { limit: 10, windowMs: 60_000 };

/** Default number of unexpired, unrevoked tokens a service account may hold at once. */
export const DEFAULT_MAX_ACTIVE_TOKENS = 100;

/** The caller an Atlas request authenticated as, an API key or a service account; the routes use its projects only. */
export interface Principal {
  /** Projects the caller may use; undefined means every project. */
  projectIds?: string[];
}

/** Certificate, key and port of the emulator's HTTPS listener. */
export interface HttpsOptions {
  /** PEM certificate chain, leaf first. Clients check it against the name they connect to, not 127.0.0.1. */
  cert: string | Buffer;
  /** PEM private key of the certificate. */
  key: string | Buffer;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free port. */
  port?: number;
}

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free port. */
  port?: number;
  /** Settings of a second listener on 127.0.0.1 that serves HTTPS, which is off when unset (the default). */
  https?: HttpsOptions;
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
  /**
   * Service accounts accepted by `POST /api/oauth/token`; one account with a random client id and secret by
   * default. The first account is the one {@link RunningEmulator} reports.
   */
  serviceAccounts?: ServiceAccount[];
  /** Access token lifetime in milliseconds; {@link DEFAULT_TOKEN_LIFETIME_MS} by default. */
  tokenLifetimeMs?: number;
  /** Per-client limit on issued tokens; {@link DEFAULT_TOKEN_RATE_LIMIT} by default, null for none. */
  tokenRateLimit?: TokenRateLimitConfig | null;
  /** Active tokens a service account may hold before the token endpoint responds 403; null for no limit. */
  maxActiveTokens?: number | null;
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

/** Private endpoint object as the legacy v1.0 API returns it: the endpoint service without provider and region. */
export interface LegacyPrivateEndpointBody {
  id: string;
  endpointServiceName: string | null;
  errorMessage: string | null;
  interfaceEndpoints: string[];
  status: string;
}

/** Interface endpoint object as the legacy v1.0 API returns it: no `cloudProvider`. */
export interface LegacyInterfaceEndpointBody {
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

/** OAuth 2.0 error body (RFC 6749, section 5.2) that the token endpoint sends for request and client errors. */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
}
