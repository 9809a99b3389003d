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
