import { ATLAS_API_MEDIA_TYPE } from "./transport";
import type { HttpMethod } from "./transport";
import type { EndpointService, InterfaceEndpoint } from "./types";

/**
 * Atlas API that serves the private endpoint calls: "v2" is the versioned Admin API v2, "legacy" the deprecated v1.0
 * API, which supports AWS only.
 */
export type PrivateEndpointApi = "v2" | "legacy";

/** Every {@link PrivateEndpointApi} value, the default first. */
export const PRIVATE_ENDPOINT_APIS: readonly PrivateEndpointApi[] = ["v2", "legacy"];

/** Media type of the legacy v1.0 API, sent as Accept and as the body Content-Type. */
export const LEGACY_MEDIA_TYPE = "application/json";

const V2_PREFIX = "/api/atlas/v2";
const LEGACY_PREFIX = "/api/atlas/v1.0";
const CLOUD_PROVIDER = "AWS";

/** One API call: the method, the path with its parameters percent-encoded, and the JSON body, if any. */
export interface RouteCall {
  method: HttpMethod;
  path: string;
  body?: unknown;
}

/**
 * Route table and response mapping of one {@link PrivateEndpointApi}. The route methods throw an Error for an id that
 * is empty, "." or "..", and the mapping methods return the objects in the v2 shape of {@link EndpointService} and
 * {@link InterfaceEndpoint}, whatever API returned them.
 */
export interface PrivateEndpointRoutes {
  api: PrivateEndpointApi;
  /** Accept header of every request, and Content-Type of every request body. */
  mediaType: string;
  createEndpointService(projectId: string, region: string): RouteCall;
  listEndpointServices(projectId: string): RouteCall;
  getEndpointService(projectId: string, privateLinkId: string): RouteCall;
  deleteEndpointService(projectId: string, privateLinkId: string): RouteCall;
  createInterfaceEndpoint(projectId: string, privateLinkId: string, interfaceEndpointId: string): RouteCall;
  getInterfaceEndpoint(projectId: string, privateLinkId: string, interfaceEndpointId: string): RouteCall;
  deleteInterfaceEndpoint(projectId: string, privateLinkId: string, interfaceEndpointId: string): RouteCall;
  /**
   * Maps one endpoint service object of a response. `requestedRegion` is the AWS region of the create call that
   * returned it, if any, which fills `regionName` where the response has none.
   */
  toEndpointService(body: Record<string, unknown>, requestedRegion?: string): EndpointService;
  /** Maps one interface endpoint object of a response. */
  toInterfaceEndpoint(body: Record<string, unknown>): InterfaceEndpoint;
}

const V2_ROUTES: PrivateEndpointRoutes = {
  api: "v2",
  mediaType: ATLAS_API_MEDIA_TYPE,
  createEndpointService: (projectId, region) => ({
    method: "POST",
    path: `${v2GroupPath(projectId)}/endpointService`,
    body: { providerName: CLOUD_PROVIDER, region },
  }),
  listEndpointServices: (projectId) => ({ method: "GET", path: `${v2GroupPath(projectId)}/AWS/endpointService` }),
  getEndpointService: (projectId, privateLinkId) => ({ method: "GET", path: v2ServicePath(projectId, privateLinkId) }),
  deleteEndpointService: (projectId, privateLinkId) => ({
    method: "DELETE",
    path: v2ServicePath(projectId, privateLinkId),
  }),
  createInterfaceEndpoint: (projectId, privateLinkId, interfaceEndpointId) => ({
    method: "POST",
    path: `${v2ServicePath(projectId, privateLinkId)}/endpoint`,
    body: { id: interfaceEndpointId },
  }),
  getInterfaceEndpoint: (projectId, privateLinkId, interfaceEndpointId) => ({
    method: "GET",
    path: v2EndpointPath(projectId, privateLinkId, interfaceEndpointId),
  }),
  deleteInterfaceEndpoint: (projectId, privateLinkId, interfaceEndpointId) => ({
    method: "DELETE",
    path: v2EndpointPath(projectId, privateLinkId, interfaceEndpointId),
  }),
  toEndpointService: (body) => body as unknown as EndpointService,
  toInterfaceEndpoint: (body) => body as unknown as InterfaceEndpoint,
};

const LEGACY_ROUTES: PrivateEndpointRoutes = {
  api: "legacy",
  mediaType: LEGACY_MEDIA_TYPE,
  createEndpointService: (projectId, region) => ({
    method: "POST",
    path: legacyGroupPath(projectId),
    body: { providerName: CLOUD_PROVIDER, region },
  }),
  listEndpointServices: (projectId) => ({ method: "GET", path: legacyGroupPath(projectId) }),
  getEndpointService: (projectId, privateLinkId) => ({
    method: "GET",
    path: legacyPrivateLinkPath(projectId, privateLinkId),
  }),
  deleteEndpointService: (projectId, privateLinkId) => ({
    method: "DELETE",
    path: legacyPrivateLinkPath(projectId, privateLinkId),
  }),
  createInterfaceEndpoint: (projectId, privateLinkId, interfaceEndpointId) => ({
    method: "POST",
    path: `${legacyPrivateLinkPath(projectId, privateLinkId)}/interfaceEndpoints`,
    body: { interfaceEndpointId },
  }),
  getInterfaceEndpoint: (projectId, privateLinkId, interfaceEndpointId) => ({
    method: "GET",
    path: legacyEndpointPath(projectId, privateLinkId, interfaceEndpointId),
  }),
  deleteInterfaceEndpoint: (projectId, privateLinkId, interfaceEndpointId) => ({
    method: "DELETE",
    path: legacyEndpointPath(projectId, privateLinkId, interfaceEndpointId),
  }),
  toEndpointService: legacyEndpointService,
  toInterfaceEndpoint: legacyInterfaceEndpoint,
};

/** Returns the route table of `api`, and throws an Error naming the allowed values for any other value. */
export function privateEndpointRoutes(api: PrivateEndpointApi): PrivateEndpointRoutes {
  switch (api) {
    case "v2":
      return V2_ROUTES;
    case "legacy":
      return LEGACY_ROUTES;
    default:
      throw new Error(`Invalid privateEndpointApi "${String(api)}": expected ${describeAllowedApis()}.`);
  }
}

/** Returns the allowed {@link PrivateEndpointApi} values for an error message: `"v2" or "legacy"`. */
export function describeAllowedApis(): string {
  return PRIVATE_ENDPOINT_APIS.map((value) => `"${value}"`).join(" or ");
}

/**
 * Maps a legacy private endpoint (`id`, `endpointServiceName`, `errorMessage`, `interfaceEndpoints`, `status`) to an
 * endpoint service. The legacy object has no `cloudProvider` and no `regionName`, so `cloudProvider` is AWS, the only
 * provider of the legacy API, and `regionName` comes from the AWS region in `endpointServiceName`, else from
 * `requestedRegion`.
 * NOTE: a service that Atlas has not named yet, read by a GET or a list, gets no `regionName`, so a create that
 * looks for its lost service by region cannot find it until Atlas names it.
 */
function legacyEndpointService(body: Record<string, unknown>, requestedRegion?: string): EndpointService {
  const region = awsRegionOfServiceName(body.endpointServiceName) ?? requestedRegion;
  const service: Record<string, unknown> = { ...body, cloudProvider: body.cloudProvider ?? CLOUD_PROVIDER };
  if (body.regionName === undefined && region !== undefined) {
    service.regionName = atlasRegionName(region);
  }
  return service as unknown as EndpointService;
}

/** Maps a legacy interface endpoint, which has no `cloudProvider`, by adding AWS as the provider. */
function legacyInterfaceEndpoint(body: Record<string, unknown>): InterfaceEndpoint {
  return { ...body, cloudProvider: body.cloudProvider ?? CLOUD_PROVIDER } as unknown as InterfaceEndpoint;
}

/** Returns the AWS region of `com.amazonaws.vpce.<region>.vpce-svc-<hex>`, or undefined for any other value. */
function awsRegionOfServiceName(name: unknown): string | undefined {
  if (typeof name !== "string") {
    return undefined;
  }
  return /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-[0-9a-f]+$/.exec(name)?.[1];
}

/** Converts an AWS region name such as `us-east-1` to the Atlas form `US_EAST_1`. */
function atlasRegionName(region: string): string {
  return region.toUpperCase().replace(/-/g, "_");
}

function v2GroupPath(projectId: string): string {
  return `${V2_PREFIX}/groups/${pathSegment(projectId, "projectId")}/privateEndpoint`;
}

function v2ServicePath(projectId: string, privateLinkId: string): string {
  return `${v2GroupPath(projectId)}/AWS/endpointService/${pathSegment(privateLinkId, "privateLinkId")}`;
}

function v2EndpointPath(projectId: string, privateLinkId: string, interfaceEndpointId: string): string {
  const endpointId = pathSegment(interfaceEndpointId, "interfaceEndpointId");
  return `${v2ServicePath(projectId, privateLinkId)}/endpoint/${endpointId}`;
}

function legacyGroupPath(projectId: string): string {
  return `${LEGACY_PREFIX}/groups/${pathSegment(projectId, "projectId")}/privateEndpoint`;
}

function legacyPrivateLinkPath(projectId: string, privateLinkId: string): string {
  return `${legacyGroupPath(projectId)}/${pathSegment(privateLinkId, "privateLinkId")}`;
}

function legacyEndpointPath(projectId: string, privateLinkId: string, interfaceEndpointId: string): string {
  const endpointId = pathSegment(interfaceEndpointId, "interfaceEndpointId");
  return `${legacyPrivateLinkPath(projectId, privateLinkId)}/interfaceEndpoints/${endpointId}`;
}

/**
 * Percent-encodes one path parameter. Empty, "." and ".." are rejected because URL parsing would drop or
 * collapse them (also when percent-encoded) and the request would reach a different resource.
 */
function pathSegment(value: string, name: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new Error(`Invalid ${name} "${value}": an Atlas path parameter must not be empty, "." or "..".`);
  }
  return encodeURIComponent(value);
}
