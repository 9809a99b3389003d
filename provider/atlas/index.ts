export { AtlasClient, ATLAS_API_MEDIA_TYPE, DEFAULT_TIMEOUT_MS } from "./client";
export type { AtlasClientOptions } from "./client";
export { DEFAULT_BASE_URL, MissingCredentialsError, normalizeBaseUrl, resolveCredentials } from "./credentials";
export type { AtlasCredentials, ConfigSource, CredentialName } from "./credentials";
export { AtlasApiError, AtlasRequestError, isAtlasApiError, isNotFoundError } from "./errors";
export type { AtlasApiErrorInit, AtlasRequestErrorInit } from "./errors";
export type { AtlasApi, ConnectionStatus, EndpointService, EndpointServiceStatus, InterfaceEndpoint } from "./types";
