export { AtlasClient, DEFAULT_TIMEOUT_MS } from "./client";
export type { AtlasClientOptions, AtlasRetryEvent } from "./client";
export { sharedAtlasClient } from "./clientCache";
export {
  checkBaseUrlTransport,
  DEFAULT_BASE_URL,
  GOV_BASE_URL,
  isLoopbackHost,
  MissingCredentialsError,
  normalizeBaseUrl,
  resolveCredentials,
} from "./credentials";
export type { AtlasCredentials, ConfigSource, CredentialName, CredentialSource } from "./credentials";
export { AtlasApiError, AtlasRequestError, isAtlasApiError, isNotFoundError } from "./errors";
export type { AtlasApiErrorInit, AtlasRequestErrorInit, AuthMethod } from "./errors";
export { LEGACY_MEDIA_TYPE, PRIVATE_ENDPOINT_APIS, privateEndpointRoutes } from "./privateEndpointApi";
export type { PrivateEndpointApi, PrivateEndpointRoutes, RouteCall } from "./privateEndpointApi";
export { DEFAULT_RETRY_SETTINGS, isTransientStatus } from "./retry";
export type { RetryOptions, RetryRuntime, RetrySettings } from "./retry";
export {
  ServiceAccountTokenSource,
  sharedTokenSource,
  TOKEN_PATH,
  TOKEN_RENEWAL_MARGIN_MS,
} from "./serviceAccountToken";
export type { TokenRequestContext } from "./serviceAccountToken";
export { DEFAULT_MAX_RETRIES, resolveClientSettings } from "./settings";
export { ATLAS_API_MEDIA_TYPE } from "./transport";
export type { AtlasHttpRequest, AtlasResponse, HttpMethod } from "./transport";
export type { AtlasApi, ConnectionStatus, EndpointService, EndpointServiceStatus, InterfaceEndpoint } from "./types";
