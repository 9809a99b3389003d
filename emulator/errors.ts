import { STATUS_CODES } from "node:http";
import type { AtlasErrorBody } from "./types";

/**
 * An Atlas API error that the server turns into an Atlas-shaped JSON body with `Content-Type: application/json`.
 * `headers` are added to the response, for example `Retry-After` on 429.
 */
export class AtlasError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
    readonly parameters: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${errorCode}: ${detail}`);
    this.name = "AtlasError";
  }

  toBody(): AtlasErrorBody {
    return {
      detail: this.detail,
      error: this.status,
      errorCode: this.errorCode,
      parameters: this.parameters,
      reason: STATUS_CODES[this.status] ?? "Unknown",
    };
  }
}

/** An invalid request to the control interface; sent as `{"error": message}`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

// Error codes and detail texts below follow the Atlas Administration API error code list where it has one;
// README.md lists the ones that are guesses.

export function unauthorized(): AtlasError {
  return new AtlasError(401, "UNAUTHORIZED", "You are not authorized for this resource.");
}

export function forbiddenForProject(groupId: string): AtlasError {
  return new AtlasError(403, "ACCESS_FORBIDDEN", "Access to this resource is forbidden for current user.", [groupId]);
}

export function notAcceptable(): AtlasError {
  return new AtlasError(406, "INVALID_VERSION_DATE", "Invalid accept header or version date.");
}

export function resourceNotFound(resource: string): AtlasError {
  return new AtlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${resource}.`, [resource]);
}

export function methodNotAllowed(method: string, path: string, allowed: string[]): AtlasError {
  return new AtlasError(405, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed on ${path}.`, [method], {
    Allow: allowed.join(", "),
  });
}

export function groupNotFound(groupId: string): AtlasError {
  return new AtlasError(404, "GROUP_NOT_FOUND", `No group with ID ${groupId} exists.`, [groupId]);
}

export function pathParamInvalid(name: string, value: string, expected: string): AtlasError {
  return new AtlasError(
    400,
    "PATH_PARAM_PARSE_ERROR",
    `Invalid path parameter ${name}: "${value}". It must be ${expected}.`,
    [name, value],
  );
}

export function malformedJson(): AtlasError {
  return new AtlasError(400, "MALFORMED_JSON", "Received JSON is malformed.");
}

export function invalidJson(): AtlasError {
  return new AtlasError(400, "INVALID_JSON", "Received JSON does not match expected format.");
}

export function missingAttribute(name: string): AtlasError {
  return new AtlasError(400, "MISSING_ATTRIBUTE", `The required attribute ${name} was not specified.`, [name]);
}

export function invalidAttribute(name: string): AtlasError {
  return new AtlasError(400, "INVALID_ATTRIBUTE", `Invalid attribute ${name} specified.`, [name]);
}

export function invalidProvider(provider: string): AtlasError {
  return new AtlasError(400, "INVALID_PROVIDER", `No provider ${provider} exists.`, [provider]);
}

export function invalidRegion(region: string): AtlasError {
  return new AtlasError(400, "INVALID_REGION", `No region ${region} exists for provider AWS.`, [region, "AWS"]);
}

export function interfaceEndpointIdMalformed(value: string): AtlasError {
  return new AtlasError(
    400,
    "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED",
    "AWS interface endpoint ids must begin with 'vpce-' followed by 17 or 8 lowercase hexadecimal characters.",
    [value],
  );
}

export function serviceAlreadyExistsForRegion(region: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
    `A private endpoint service already exists for AWS region ${region}.`,
    ["AWS", region],
  );
}

export function serviceNotFound(serviceId: string): AtlasError {
  return new AtlasError(
    404,
    "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND",
    `Private endpoint service with ID ${serviceId} not found.`,
    [serviceId],
  );
}

export function interfaceEndpointNotFound(endpointId: string): AtlasError {
  return resourceNotFound(endpointId);
}

export function interfaceEndpointAlreadyExists(endpointId: string, serviceId: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
    `The private endpoint service ${serviceId} already contains an interface endpoint with the specified id ${endpointId}.`,
    [endpointId, serviceId],
  );
}

export function serviceCannotAcceptEndpoints(serviceId: string, status: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
    `The private endpoint service with the specified id ${serviceId} is not ready to accept endpoint connection requests (status ${status}).`,
    [serviceId, status],
  );
}

export function serviceHasEndpoints(serviceId: string): AtlasError {
  return new AtlasError(
    409,
    "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
    "A private endpoint service with endpoints cannot be deleted. Please delete all endpoints and retry.",
    [serviceId],
  );
}

export function rateLimited(retryAfterSeconds: number): AtlasError {
  return new AtlasError(
    429,
    "RATE_LIMITED_TOKEN_BUCKET",
    `Please retry after ${retryAfterSeconds} seconds.`,
    [retryAfterSeconds],
    { "Retry-After": String(retryAfterSeconds) },
  );
}

export function unexpectedError(): AtlasError {
  return new AtlasError(500, "UNEXPECTED_ERROR", "Unexpected error.");
}

export function serviceUnavailable(retryAfterSeconds?: number): AtlasError {
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
  return new AtlasError(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable.", [], headers);
}
