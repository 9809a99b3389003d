import { STATUS_CODES } from "node:http";
import type { AtlasErrorBody, OAuthErrorBody } from "./types";

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

/**
 * An OAuth 2.0 error of the token endpoint, sent as `{"error", "error_description"}` with
 * `Content-Type: application/json`. `headers` are added to the response, for example `WWW-Authenticate` on 401.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${error}: ${description}`);
    this.name = "OAuthError";
  }

  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
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

/** Builds the 401 UNAUTHORIZED error for a request without valid credentials. */
export function unauthorized(): AtlasError {
  return new AtlasError(401, "UNAUTHORIZED", "You are not authorized for this resource.");
}

/** Builds the 403 ACCESS_FORBIDDEN error for credentials that have no access to project `groupId`. */
export function forbiddenForProject(groupId: string): AtlasError {
  return new AtlasError(403, "ACCESS_FORBIDDEN", "Access to this resource is forbidden for current user.", [groupId]);
}

/** Builds the 406 INVALID_VERSION_DATE error for an Accept header that names no media type the route serves. */
export function notAcceptable(): AtlasError {
  return new AtlasError(406, "INVALID_VERSION_DATE", "Invalid accept header or version date.");
}

/** Builds the 404 RESOURCE_NOT_FOUND error for `resource`, also used for unknown paths. */
export function resourceNotFound(resource: string): AtlasError {
  return new AtlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${resource}.`, [resource]);
}

/** Builds the 405 METHOD_NOT_ALLOWED error with an Allow header listing `allowed`. */
export function methodNotAllowed(method: string, path: string, allowed: string[]): AtlasError {
  return new AtlasError(405, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed on ${path}.`, [method], {
    Allow: allowed.join(", "),
  });
}

/** Builds the 404 GROUP_NOT_FOUND error for a project id the emulator does not have. */
export function groupNotFound(groupId: string): AtlasError {
  return new AtlasError(404, "GROUP_NOT_FOUND", `No group with ID ${groupId} exists.`, [groupId]);
}

/** Builds the 400 PATH_PARAM_PARSE_ERROR error for path parameter `name` that is not `expected`. */
export function pathParamInvalid(name: string, value: string, expected: string): AtlasError {
  return new AtlasError(
    400,
    "PATH_PARAM_PARSE_ERROR",
    `Invalid path parameter ${name}: "${value}". It must be ${expected}.`,
    [name, value],
  );
}

/** Builds the 400 MALFORMED_JSON error for a body that does not parse as JSON. */
export function malformedJson(): AtlasError {
  return new AtlasError(400, "MALFORMED_JSON", "Received JSON is malformed.");
}

/** Builds the 400 INVALID_JSON error for a JSON body that is not an object. */
export function invalidJson(): AtlasError {
  return new AtlasError(400, "INVALID_JSON", "Received JSON does not match expected format.");
}

/** Builds the 400 MISSING_ATTRIBUTE error for the required body attribute `name`. */
export function missingAttribute(name: string): AtlasError {
  return new AtlasError(400, "MISSING_ATTRIBUTE", `The required attribute ${name} was not specified.`, [name]);
}

/** Builds the 400 INVALID_ATTRIBUTE error for a body attribute `name` whose value has the wrong type. */
export function invalidAttribute(name: string): AtlasError {
  return new AtlasError(400, "INVALID_ATTRIBUTE", `Invalid attribute ${name} specified.`, [name]);
}

/** Builds the 400 INVALID_PROVIDER error for a cloud provider other than AWS. */
export function invalidProvider(provider: string): AtlasError {
  return new AtlasError(400, "INVALID_PROVIDER", `No provider ${provider} exists.`, [provider]);
}

/** Builds the 400 INVALID_REGION error for a region name AWS does not have. */
export function invalidRegion(region: string): AtlasError {
  return new AtlasError(400, "INVALID_REGION", `No region ${region} exists for provider AWS.`, [region, "AWS"]);
}

/**
 * Builds the 400 PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED error for a VPC endpoint id that is not `vpce-` and hex.
 */
export function interfaceEndpointIdMalformed(value: string): AtlasError {
  return new AtlasError(
    400,
    "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED",
    "AWS interface endpoint ids must begin with 'vpce-' followed by 17 or 8 lowercase hexadecimal characters.",
    [value],
  );
}

/** Builds the 409 error for a second endpoint service in the same AWS region of a project. */
export function serviceAlreadyExistsForRegion(region: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
    `A private endpoint service already exists for AWS region ${region}.`,
    ["AWS", region],
  );
}

/** Builds the 404 PRIVATE_ENDPOINT_SERVICE_NOT_FOUND error for endpoint service `serviceId`. */
export function serviceNotFound(serviceId: string): AtlasError {
  return new AtlasError(
    404,
    "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND",
    `Private endpoint service with ID ${serviceId} not found.`,
    [serviceId],
  );
}

/** Builds the 404 error for an interface endpoint that the endpoint service does not have. */
export function interfaceEndpointNotFound(endpointId: string): AtlasError {
  return resourceNotFound(endpointId);
}

/** Builds the 409 error for a VPC endpoint already attached to endpoint service `serviceId`. */
export function interfaceEndpointAlreadyExists(endpointId: string, serviceId: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
    `The private endpoint service ${serviceId} already contains an interface endpoint with the specified id ${endpointId}.`,
    [endpointId, serviceId],
  );
}

/** Builds the 409 error for a link to an endpoint service that is not AVAILABLE or WAITING_FOR_USER. */
export function serviceCannotAcceptEndpoints(serviceId: string, status: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
    `The private endpoint service with the specified id ${serviceId} is not ready to accept endpoint connection requests (status ${status}).`,
    [serviceId, status],
  );
}

/** Builds the 409 error for deleting an endpoint service that still has interface endpoints. */
export function serviceHasEndpoints(serviceId: string): AtlasError {
  return new AtlasError(
    409,
    "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
    "A private endpoint service with endpoints cannot be deleted. Please delete all endpoints and retry.",
    [serviceId],
  );
}

/** Builds the 429 RATE_LIMITED_TOKEN_BUCKET error with a Retry-After of `retryAfterSeconds`. */
export function rateLimited(retryAfterSeconds: number): AtlasError {
  return new AtlasError(
    429,
    "RATE_LIMITED_TOKEN_BUCKET",
    `Please retry after ${retryAfterSeconds} seconds.`,
    [retryAfterSeconds],
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** Builds the 500 UNEXPECTED_ERROR error. */
export function unexpectedError(): AtlasError {
  return new AtlasError(500, "UNEXPECTED_ERROR", "Unexpected error.");
}

/** Builds the 503 SERVICE_UNAVAILABLE error, with a Retry-After header when `retryAfterSeconds` is given. */
export function serviceUnavailable(retryAfterSeconds?: number): AtlasError {
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
  return new AtlasError(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable.", [], headers);
}

/** 429 of the token endpoint, in the form of the Atlas `RATE_LIMITED` error for a fixed request budget. */
export function tokenRequestsRateLimited(
  path: string,
  limit: number,
  windowMs: number,
  retryAfterSeconds: number,
): AtlasError {
  const window =
    windowMs % 60_000 === 0
      ? { amount: windowMs / 60_000, unit: "minutes" }
      : { amount: windowMs / 1000, unit: "seconds" };
  return new AtlasError(
    429,
    "RATE_LIMITED",
    `Resource ${path} is limited to ${limit} requests every ${window.amount} ${window.unit}.`,
    [path, limit, window.amount],
    { "Retry-After": String(retryAfterSeconds) },
  );
}

// OAuth errors of the token endpoint. The error names are the RFC 6749 ones; README.md lists which parts are guesses.

/** 401 `invalid_client` for missing or wrong client credentials, with a Basic challenge. */
export function invalidClient(): OAuthError {
  return new OAuthError(401, "invalid_client", "Invalid client credentials.", {
    "WWW-Authenticate": 'Basic realm="MMS Public API"',
  });
}

/** 400 `invalid_request` for a token request that is not a form or misses `grant_type`. */
export function invalidTokenRequest(description: string): OAuthError {
  return new OAuthError(400, "invalid_request", description);
}

/** 400 `unsupported_grant_type` for any grant but client_credentials. */
export function unsupportedGrantType(grantType: string): OAuthError {
  return new OAuthError(
    400,
    "unsupported_grant_type",
    `Grant type ${grantType} is not supported; use client_credentials.`,
  );
}

/** 403 `access_denied` when a service account already has `limit` active tokens. */
export function activeTokenLimitReached(limit: number): OAuthError {
  return new OAuthError(
    403,
    "access_denied",
    `This service account already has ${limit} active access tokens; reuse one or wait for one to expire.`,
  );
}

// Errors of the legacy v1.0 routes, from the legacy error code list.

/** 404 `PRIVATELINK_NOT_FOUND` for an unknown legacy private endpoint. */
export function privateLinkNotFound(privateLinkId: string): AtlasError {
  return new AtlasError(404, "PRIVATELINK_NOT_FOUND", `A PrivateLink with id ${privateLinkId} does not exist.`, [
    privateLinkId,
  ]);
}

/** 404 `PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND` for an unknown legacy interface endpoint. */
export function privateLinkInterfaceEndpointNotFound(interfaceEndpointId: string): AtlasError {
  return new AtlasError(
    404,
    "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
    `A PrivateLink interface endpoint with id ${interfaceEndpointId} does not exist.`,
    [interfaceEndpointId],
  );
}

/** 404 `PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED`: the legacy list gives it 404, the v2 routes use 400. */
export function legacyInterfaceEndpointIdMalformed(value: string): AtlasError {
  return new AtlasError(
    404,
    "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED",
    "AWS interface endpoint ids must begin with 'vpce-' followed by 17 or 8 lowercase hexadecimal characters.",
    [value],
  );
}

/** 409 for a second legacy private endpoint in a region, with the legacy error code. */
export function privateLinkAlreadyExistsForRegion(region: string): AtlasError {
  return new AtlasError(
    409,
    "PRIVATELINK_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
    `A PrivateLink Endpoint Service already exists for AWS region ${region}.`,
    [region],
  );
}

/** 406 for a legacy request whose Accept header excludes application/json. */
export function legacyNotAcceptable(): AtlasError {
  return new AtlasError(406, "NOT_ACCEPTABLE", "The legacy v1.0 API responds with application/json only.");
}
