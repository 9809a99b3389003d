import type { AtlasRequest, AtlasResult } from "./atlasRoutes";
import {
  INTERFACE_ENDPOINT_ID_PATTERN,
  parseJsonBody,
  parseRegion,
  requireProjectAccess,
  requiredString,
} from "./atlasRoutes";
import {
  AtlasError,
  invalidProvider,
  legacyInterfaceEndpointIdMalformed,
  legacyNotAcceptable,
  methodNotAllowed,
  pathParamInvalid,
  privateLinkAlreadyExistsForRegion,
  privateLinkInterfaceEndpointNotFound,
  privateLinkNotFound,
  resourceNotFound,
} from "./errors";
import { Router } from "./router";
import type { Store } from "./store";
import { OBJECT_ID_PATTERN } from "./store";
import type {
  EndpointServiceBody,
  InterfaceEndpointBody,
  LegacyInterfaceEndpointBody,
  LegacyPrivateEndpointBody,
} from "./types";

/** Prefix of every legacy v1.0 API path. */
export const LEGACY_PREFIX = "/api/atlas/v1.0/";

/** Content-Type of legacy success bodies. */
const LEGACY_MEDIA_TYPE = "application/json";

/** Media ranges of an Accept header that admit `application/json`. */
const JSON_MEDIA_RANGES: ReadonlySet<string> = new Set(["application/json", "application/*", "*/*"]);

interface LegacyContext {
  params: Record<string, string>;
  body: Record<string, unknown> | undefined;
  store: Store;
}

interface LegacyHandler {
  readsBody: boolean;
  run(context: LegacyContext): AtlasResult;
}

const ROOT = "/api/atlas/v1.0/groups/{groupId}/privateEndpoint";
const PRIVATE_LINK = `${ROOT}/{privateLinkId}`;
const INTERFACE_ENDPOINT = `${PRIVATE_LINK}/interfaceEndpoints/{interfaceEndpointId}`;

const router = new Router<LegacyHandler>([
  { method: "POST", path: ROOT, handler: { readsBody: true, run: createPrivateEndpoint } },
  { method: "GET", path: ROOT, handler: { readsBody: false, run: listPrivateEndpoints } },
  { method: "GET", path: PRIVATE_LINK, handler: { readsBody: false, run: getPrivateEndpoint } },
  { method: "DELETE", path: PRIVATE_LINK, handler: { readsBody: false, run: deletePrivateEndpoint } },
  {
    method: "POST",
    path: `${PRIVATE_LINK}/interfaceEndpoints`,
    handler: { readsBody: true, run: createInterfaceEndpoint },
  },
  { method: "GET", path: INTERFACE_ENDPOINT, handler: { readsBody: false, run: getInterfaceEndpoint } },
  { method: "DELETE", path: INTERFACE_ENDPOINT, handler: { readsBody: false, run: deleteInterfaceEndpoint } },
]);

/** True for paths of the legacy v1.0 API, which {@link handleLegacyRequest} serves. */
export function isLegacyPath(path: string): boolean {
  return path.startsWith(LEGACY_PREFIX);
}

/**
 * Runs an authenticated legacy v1.0 request over the same store as the v2 routes and returns the response. Throws
 * {@link AtlasError} for every error response, checked in this order: route (404, 405), Accept header (406), path
 * parameters (400, or 404 for a malformed interface endpoint id), project access (403), project existence (404),
 * request body (400), then the operation, whose errors carry the legacy error codes.
 */
export function handleLegacyRequest(request: AtlasRequest): AtlasResult {
  const match = router.match(request.method, request.path);
  if (match.kind === "not-found") {
    throw resourceNotFound(request.path);
  }
  if (match.kind === "method-not-allowed") {
    throw methodNotAllowed(request.method, request.path, match.allowed);
  }
  if (!acceptsJson(request.accept)) {
    throw legacyNotAcceptable();
  }
  validateLegacyPathParams(match.params);
  requireProjectAccess(request.principal, request.store, match.params.groupId);
  const body = match.handler.readsBody ? parseJsonBody(request.rawBody) : undefined;
  try {
    const result = match.handler.run({ params: match.params, body, store: request.store });
    return { ...result, contentType: LEGACY_MEDIA_TYPE };
  } catch (error) {
    throw error instanceof AtlasError ? toLegacyError(error) : error;
  }
}

/** True when the Accept header is missing or one of its media ranges admits `application/json`. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") {
    return true;
  }
  return accept.split(",").some((range) => JSON_MEDIA_RANGES.has(range.split(";")[0].trim().toLowerCase()));
}

function validateLegacyPathParams(params: Record<string, string>): void {
  for (const name of ["groupId", "privateLinkId"]) {
    const value = params[name];
    if (value !== undefined && !OBJECT_ID_PATTERN.test(value)) {
      throw pathParamInvalid(name, value, "a 24-character lowercase hexadecimal string");
    }
  }
  const interfaceEndpointId = params.interfaceEndpointId;
  if (interfaceEndpointId !== undefined && !INTERFACE_ENDPOINT_ID_PATTERN.test(interfaceEndpointId)) {
    throw legacyInterfaceEndpointIdMalformed(interfaceEndpointId);
  }
}

/** Replaces the v2 error codes that the store raises with their legacy counterparts; other errors pass unchanged. */
function toLegacyError(error: AtlasError): AtlasError {
  const firstParameter = String(error.parameters[0]);
  switch (error.errorCode) {
    case "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND":
      return privateLinkNotFound(firstParameter);
    case "RESOURCE_NOT_FOUND":
      return privateLinkInterfaceEndpointNotFound(firstParameter);
    case "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION":
      return privateLinkAlreadyExistsForRegion(String(error.parameters[1]));
    default:
      return error;
  }
}

function toLegacyPrivateEndpoint(service: EndpointServiceBody): LegacyPrivateEndpointBody {
  return {
    id: service.id,
    endpointServiceName: service.endpointServiceName,
    errorMessage: service.errorMessage,
    interfaceEndpoints: service.interfaceEndpoints,
    status: service.status,
  };
}

function toLegacyInterfaceEndpoint(endpoint: InterfaceEndpointBody): LegacyInterfaceEndpointBody {
  return {
    interfaceEndpointId: endpoint.interfaceEndpointId,
    connectionStatus: endpoint.connectionStatus,
    deleteRequested: endpoint.deleteRequested,
    errorMessage: endpoint.errorMessage,
  };
}

function createPrivateEndpoint({ params, body, store }: LegacyContext): AtlasResult {
  const fields = body as Record<string, unknown>;
  const providerName = requiredString(fields, "providerName");
  if (providerName !== "AWS") {
    throw invalidProvider(providerName);
  }
  const region = parseRegion(requiredString(fields, "region"));
  return { status: 201, body: toLegacyPrivateEndpoint(store.createService(params.groupId, region)) };
}

function listPrivateEndpoints({ params, store }: LegacyContext): AtlasResult {
  return { status: 200, body: store.listServices(params.groupId).map(toLegacyPrivateEndpoint) };
}

function getPrivateEndpoint({ params, store }: LegacyContext): AtlasResult {
  return { status: 200, body: toLegacyPrivateEndpoint(store.getService(params.groupId, params.privateLinkId)) };
}

function deletePrivateEndpoint({ params, store }: LegacyContext): AtlasResult {
  store.deleteService(params.groupId, params.privateLinkId);
  return { status: 204 };
}

function createInterfaceEndpoint({ params, body, store }: LegacyContext): AtlasResult {
  const id = requiredString(body as Record<string, unknown>, "interfaceEndpointId");
  if (!INTERFACE_ENDPOINT_ID_PATTERN.test(id)) {
    throw legacyInterfaceEndpointIdMalformed(id);
  }
  const endpoint = store.createEndpoint(params.groupId, params.privateLinkId, id, "NONE");
  return { status: 201, body: toLegacyInterfaceEndpoint(endpoint) };
}

function getInterfaceEndpoint({ params, store }: LegacyContext): AtlasResult {
  const endpoint = store.getEndpoint(params.groupId, params.privateLinkId, params.interfaceEndpointId);
  return { status: 200, body: toLegacyInterfaceEndpoint(endpoint) };
}

/** Responds 200 with an empty JSON object, as the legacy reference describes this delete. */
function deleteInterfaceEndpoint({ params, store }: LegacyContext): AtlasResult {
  store.deleteEndpoint(params.groupId, params.privateLinkId, params.interfaceEndpointId);
  return { status: 200, body: {} };
}
