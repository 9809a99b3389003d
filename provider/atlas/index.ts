export { AtlasClient, DEFAULT_TIMEOUT_MS } from "./client";
export type { AtlasClientOptions, AtlasRetryEvent } from "./client";
export {
  checkBaseUrlTransport,
  DEFAULT_BASE_URL,
  isLoopbackHost,
  MissingCredentialsError,
  normalizeBaseUrl,
  resolveCredentials,
} from "./credentials";
export type { AtlasCredentials, ConfigSource, CredentialName } from "./credentials";
export { AtlasApiError, AtlasRequestError, isAtlasApiError, isNotFoundError } from "./errors";
export type { AtlasApiErrorInit, AtlasRequestErrorInit } from "./errors";
export { LEGACY_MEDIA_TYPE, PRIVATE_ENDPOINT_APIS, privateEndpointRoutes } from "./privateEndpointApi";
export type { PrivateEndpointApi, PrivateEndpointRoutes, RouteCall } from "./privateEndpointApi";
export { DEFAULT_RETRY_SETTINGS, isTransientStatus } from "./retry";
export type { RetryOptions, RetryRuntime, RetrySettings } from "./retry";
export { DEFAULT_MAX_RETRIES, resolveClientSettings } from "./settings";
export { ATLAS_API_MEDIA_TYPE } from "./transport";
export type { AtlasApi, ConnectionStatus, EndpointService, EndpointServiceStatus, InterfaceEndpoint } from "./types";
