import {
  forbiddenForProject,
  groupNotFound,
  interfaceEndpointIdMalformed,
  invalidAttribute,
  invalidJson,
  invalidProvider,
  invalidRegion,
  malformedJson,
  methodNotAllowed,
  missingAttribute,
  notAcceptable,
  pathParamInvalid,
  resourceNotFound,
  serviceNotFound,
} from "./errors";
import { Router } from "./router";
import type { Store } from "./store";
import { OBJECT_ID_PATTERN } from "./store";
import type { Principal } from "./types";
import { ATLAS_MEDIA_TYPE } from "./types";

/** AWS interface endpoint ids: `vpce-` and 17 lowercase hex characters, or 8 for older endpoints. */
export const INTERFACE_ENDPOINT_ID_PATTERN = /^vpce-([0-9a-f]{17}|[0-9a-f]{8})$/;

const AWS_REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;
const ATLAS_REGION_PATTERN = /^[A-Z]{2}(_GOV)?_[A-Z]+_\d+$/;

/** Cloud provider values that Atlas accepts in the path. Only AWS has services in the emulator. */
const CLOUD_PROVIDERS: ReadonlySet<string> = new Set(["AWS", "AZURE", "GCP"]);

/** An authenticated Atlas API request, after routing. */
export interface AtlasRequest {
  method: string;
  path: string;
  accept: string | undefined;
  rawBody: string;
  /** The API key or service account that authenticated the request. */
  principal: Principal;
  store: Store;
}

/** Response of a route handler. A body of undefined sends no body; `contentType` defaults to the v2 media type. */
export interface AtlasResult {
  status: number;
  body?: unknown;
  contentType?: string;
}

interface HandlerContext {
  params: Record<string, string>;
  body: unknown;
  store: Store;
}

interface AtlasHandler {
  /** True when the route reads a JSON request body. */
  readsBody: boolean;
  run(context: HandlerContext): AtlasResult;
}

const PRIVATE_ENDPOINT = "/api/atlas/v2/groups/{groupId}/privateEndpoint";
const SERVICE = `${PRIVATE_ENDPOINT}/{cloudProvider}/endpointService/{endpointServiceId}`;

const router = new Router<AtlasHandler>([
  {
    method: "POST",
    path: `${PRIVATE_ENDPOINT}/endpointService`,
    handler: { readsBody: true, run: createService },
  },
  {
    method: "GET",
    path: `${PRIVATE_ENDPOINT}/{cloudProvider}/endpointService`,
    handler: { readsBody: false, run: listServices },
  },
  { method: "GET", path: SERVICE, handler: { readsBody: false, run: getService } },
  { method: "DELETE", path: SERVICE, handler: { readsBody: false, run: deleteService } },
  { method: "POST", path: `${SERVICE}/endpoint`, handler: { readsBody: true, run: createEndpoint } },
  { method: "GET", path: `${SERVICE}/endpoint/{endpointId}`, handler: { readsBody: false, run: getEndpoint } },
  { method: "DELETE", path: `${SERVICE}/endpoint/{endpointId}`, handler: { readsBody: false, run: deleteEndpoint } },
]);

/**
 * Runs an authenticated Atlas API request and returns the response to send. Throws {@link AtlasError} for every
 * error response, checked in this order: route (404, 405), Accept header (406), path parameters (400), project
 * access (403), project existence (404), request body (400), then the operation itself.
 */
export function handleAtlasRequest(request: AtlasRequest): AtlasResult {
  const match = router.match(request.method, request.path);
  if (match.kind === "not-found") {
    throw resourceNotFound(request.path);
  }
  if (match.kind === "method-not-allowed") {
    throw methodNotAllowed(request.method, request.path, match.allowed);
  }
  if (!acceptsAtlasMediaType(request.accept)) {
    throw notAcceptable();
  }
  validatePathParams(match.params);
  requireProjectAccess(request.principal, request.store, match.params.groupId);
  const body = match.handler.readsBody ? parseJsonBody(request.rawBody) : undefined;
  return match.handler.run({ params: match.params, body, store: request.store });
}

/** True when one media range of the Accept header is the versioned Atlas media type; parameters are ignored. */
function acceptsAtlasMediaType(accept: string | undefined): boolean {
  if (accept === undefined) {
    return false;
  }
  return accept.split(",").some((range) => range.split(";")[0].trim().toLowerCase() === ATLAS_MEDIA_TYPE);
}

function validatePathParams(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    switch (name) {
      case "groupId":
      case "endpointServiceId":
        if (!OBJECT_ID_PATTERN.test(value)) {
          throw pathParamInvalid(name, value, "a 24-character lowercase hexadecimal string");
        }
        break;
      case "endpointId":
        if (!INTERFACE_ENDPOINT_ID_PATTERN.test(value)) {
          throw pathParamInvalid(
            name,
            value,
            "an AWS interface endpoint id: vpce- and 17 or 8 lowercase hex characters",
          );
        }
        break;
      case "cloudProvider":
        if (!CLOUD_PROVIDERS.has(value)) {
          throw invalidProvider(value);
        }
        break;
    }
  }
}

/** Throws 403 when the caller is limited to other projects, and 404 `GROUP_NOT_FOUND` for an unknown project. */
export function requireProjectAccess(principal: Principal, store: Store, groupId: string): void {
  if (principal.projectIds !== undefined && !principal.projectIds.includes(groupId)) {
    throw forbiddenForProject(groupId);
  }
  if (!store.hasProject(groupId)) {
    throw groupNotFound(groupId);
  }
}

/** Parses a JSON request body; throws 400 `MALFORMED_JSON` for invalid JSON and `INVALID_JSON` for a non-object. */
export function parseJsonBody(rawBody: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody) as unknown;
  } catch {
    throw malformedJson();
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidJson();
  }
  return parsed as Record<string, unknown>;
}

/** Returns a string field; throws 400 `MISSING_ATTRIBUTE` when it is absent or null, `INVALID_ATTRIBUTE` otherwise. */
export function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) {
    throw missingAttribute(name);
  }
  if (typeof value !== "string") {
    throw invalidAttribute(name);
  }
  return value;
}

/** Returns the AWS form (`us-east-1`) of a region given in AWS or Atlas (`US_EAST_1`) form; throws 400 otherwise. */
export function parseRegion(region: string): string {
  if (AWS_REGION_PATTERN.test(region)) {
    return region;
  }
  if (ATLAS_REGION_PATTERN.test(region)) {
    return region.toLowerCase().replace(/_/g, "-");
  }
  throw invalidRegion(region);
}

/** Services exist only for AWS, so another provider in the path finds none. */
function requireAwsService(params: Record<string, string>): void {
  if (params.cloudProvider !== "AWS") {
    throw serviceNotFound(params.endpointServiceId);
  }
}

function createService({ params, body, store }: HandlerContext): AtlasResult {
  const fields = body as Record<string, unknown>;
  const providerName = requiredString(fields, "providerName");
  if (providerName !== "AWS") {
    throw invalidProvider(providerName);
  }
  const region = parseRegion(requiredString(fields, "region"));
  return { status: 200, body: store.createService(params.groupId, region) };
}

function listServices({ params, store }: HandlerContext): AtlasResult {
  return { status: 200, body: params.cloudProvider === "AWS" ? store.listServices(params.groupId) : [] };
}

function getService({ params, store }: HandlerContext): AtlasResult {
  requireAwsService(params);
  return { status: 200, body: store.getService(params.groupId, params.endpointServiceId) };
}

function deleteService({ params, store }: HandlerContext): AtlasResult {
  requireAwsService(params);
  store.deleteService(params.groupId, params.endpointServiceId);
  return { status: 204 };
}

function createEndpoint({ params, body, store }: HandlerContext): AtlasResult {
  requireAwsService(params);
  const id = requiredString(body as Record<string, unknown>, "id");
  if (!INTERFACE_ENDPOINT_ID_PATTERN.test(id)) {
    throw interfaceEndpointIdMalformed(id);
  }
  return { status: 200, body: store.createEndpoint(params.groupId, params.endpointServiceId, id) };
}

function getEndpoint({ params, store }: HandlerContext): AtlasResult {
  requireAwsService(params);
  return { status: 200, body: store.getEndpoint(params.groupId, params.endpointServiceId, params.endpointId) };
}

function deleteEndpoint({ params, store }: HandlerContext): AtlasResult {
  requireAwsService(params);
  store.deleteEndpoint(params.groupId, params.endpointServiceId, params.endpointId);
  return { status: 204 };
}
