import { CONFIG_CHANGE_NOTE } from "./credentials";

/** Maximum number of characters of a non-JSON response body that an error message quotes. */
const BODY_EXCERPT_LENGTH = 200;

/** Authentication method of a client: an API key pair (Digest), a service account (OAuth 2.0), or an access token. */
export type AuthMethod = "apiKey" | "serviceAccount" | "accessToken";

const API_KEY_HINT =
  "Check the Atlas API key pair set in mongodbatlas:publicKey and mongodbatlas:privateKey or " +
  "MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY, and the key's project access and IP access list. " +
  CONFIG_CHANGE_NOTE;

const SERVICE_ACCOUNT_HINT =
  "Check the Atlas service account set in mongodbatlas:clientId and mongodbatlas:clientSecret or " +
  "MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, and the service account's project access and IP " +
  `access list. ${CONFIG_CHANGE_NOTE}`;

const ACCESS_TOKEN_REJECTED_HINT =
  "Atlas rejected the access token set in mongodbatlas:accessToken or MONGODB_ATLAS_ACCESS_TOKEN, or it has " +
  "expired. An access token is sent as given and never renewed, so set a new one, or set a service account " +
  `(mongodbatlas:clientId and mongodbatlas:clientSecret) to have tokens fetched and renewed. ${CONFIG_CHANGE_NOTE}`;

const ACCESS_TOKEN_DENIED_HINT =
  "Check the project access and IP access list of the service account that issued the access token set in " +
  `mongodbatlas:accessToken or MONGODB_ATLAS_ACCESS_TOKEN. ${CONFIG_CHANGE_NOTE}`;

/** Returns the sentences a 401 or 403 message ends with: which settings hold the credentials and what to check. */
function credentialsHint(method: AuthMethod, statusCode: number): string {
  switch (method) {
    case "apiKey":
      return API_KEY_HINT;
    case "serviceAccount":
      return SERVICE_ACCOUNT_HINT;
    case "accessToken":
      return statusCode === 401 ? ACCESS_TOKEN_REJECTED_HINT : ACCESS_TOKEN_DENIED_HINT;
  }
}

// Atlas puts the wait of a rate limit into the detail text as well, such as "Please retry after 55 seconds."
const RETRY_AFTER_DETAIL = /\bretry after (\d+) seconds?\b/i;

// Symbol.for is shared across copies of this package loaded in one process (for example a nested install),
// where instanceof would not match an error built by the other copy.
const ATLAS_API_ERROR_BRAND = Symbol.for("pulumi-atlas-privatelink.AtlasApiError");

/** Inputs of an {@link AtlasApiError}: the request and the raw non-2xx response. */
export interface AtlasApiErrorInit {
  method: string;
  /** Request path without scheme, host or query, such as `/api/atlas/v2/groups/{id}/privateEndpoint/...`. */
  path: string;
  statusCode: number;
  /** Response body as text, which may be empty or not JSON. The caller removes credentials from it first. */
  body: string;
  /** Value of the `Retry-After` response header in seconds, when Atlas sent one. */
  retryAfterSeconds?: number;
  /** Number of attempts the client made for the call, this response included. Defaults to 1. */
  attempts?: number;
  /** Sentence appended to the message with the reason the client stopped retrying, such as `Gave up after 5 attempts.` */
  retryNote?: string;
  /** How the request was authenticated, which decides the settings a 401 or 403 message names. Defaults to apiKey. */
  authMethod?: AuthMethod;
}

/**
 * Error for an Atlas Admin API response with a non-2xx status. Fields come from the Atlas error body
 * `{"detail", "error", "errorCode", "parameters", "reason"}`, or from an OAuth 2.0 error body `{"error",
 * "error_description"}` as errorCode and detail, when the body is JSON, and are undefined otherwise. The message
 * starts with "Atlas authentication failed" for 401 and "Atlas denied access" for 403, and then names the settings
 * that hold the credentials and when a change of them takes effect. It states a Retry-After wait once.
 */
export class AtlasApiError extends Error {
  readonly method: string;
  readonly path: string;
  readonly statusCode: number;
  /** Atlas error code such as `RESOURCE_NOT_FOUND`. */
  readonly errorCode?: string;
  readonly detail?: string;
  /** HTTP reason phrase as Atlas reports it, such as `Not Found`. */
  readonly reason?: string;
  readonly parameters?: unknown[];
  /**
   * Seconds to wait before retrying, from the `Retry-After` header (sent with 429 and some 503 responses), else from
   * a 429 or 503 detail text such as "Please retry after 55 seconds".
   */
  readonly retryAfterSeconds?: number;
  /** Number of attempts the client made for the call; 1 when it was not retried. */
  readonly attempts: number;

  /** Builds the error and its message from a non-2xx response; a body that is empty or not JSON is quoted. */
  constructor(init: AtlasApiErrorInit) {
    const body = parseErrorBody(init.body);
    const retryAfterSeconds = init.retryAfterSeconds ?? retryAfterFromDetail(init.statusCode, body?.detail);
    super(formatApiErrorMessage({ ...init, retryAfterSeconds }, body));
    this.name = "AtlasApiError";
    this.method = init.method;
    this.path = init.path;
    this.statusCode = init.statusCode;
    this.errorCode = body?.errorCode;
    this.detail = body?.detail;
    this.reason = body?.reason;
    this.parameters = body?.parameters;
    this.retryAfterSeconds = retryAfterSeconds;
    this.attempts = init.attempts ?? 1;
    Object.defineProperty(this, ATLAS_API_ERROR_BRAND, { value: true });
  }
}

/** Inputs of an {@link AtlasRequestError}. */
export interface AtlasRequestErrorInit {
  method: string;
  /** Request path without scheme, host or query. */
  path: string;
  /** Description of the failure, such as `connect ECONNREFUSED 127.0.0.1:8080` or `timed out after 30000 ms`. */
  failure: string;
  /** True when the client's own time limit ended the request. */
  timedOut?: boolean;
  /** The underlying error, already stripped of request options and credentials. */
  cause?: Error;
  /** Number of attempts the client made for the call. Defaults to 1. */
  attempts?: number;
  /** Sentence appended to the message with the reason the client stopped retrying. */
  retryNote?: string;
}

/**
 * Error for an Atlas request that produced no usable response: the connection failed, timed out or was reset,
 * or a 2xx response had a body that is not the expected JSON. The message reads `GET /path failed: <failure>`,
 * followed by the retry note when there is one.
 */
export class AtlasRequestError extends Error {
  readonly method: string;
  readonly path: string;
  /** True when the client's own time limit ended the request. */
  readonly timedOut: boolean;
  /** Number of attempts the client made for the call; 1 when it was not retried. */
  readonly attempts: number;

  /** Builds the error; `init.cause`, when given, becomes the standard `cause` property. */
  constructor(init: AtlasRequestErrorInit) {
    let message = `${init.method} ${init.path} failed: ${init.failure}`;
    if (init.retryNote !== undefined) {
      message = `${withFinalPeriod(message)} ${init.retryNote}`;
    }
    super(message, init.cause ? { cause: init.cause } : undefined);
    this.name = "AtlasRequestError";
    this.method = init.method;
    this.path = init.path;
    this.timedOut = init.timedOut ?? false;
    this.attempts = init.attempts ?? 1;
  }
}

/** Returns true when `err` is an {@link AtlasApiError}, including one built by another copy of this package. */
export function isAtlasApiError(err: unknown): err is AtlasApiError {
  if (err instanceof AtlasApiError) {
    return true;
  }
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[ATLAS_API_ERROR_BRAND] === true;
}

/**
 * Returns true exactly when `err` is an {@link AtlasApiError} with HTTP status 404. The status decides, because
 * Atlas uses several error codes for a missing resource (`RESOURCE_NOT_FOUND`, `PRIVATE_ENDPOINT_SERVICE_NOT_FOUND`).
 */
export function isNotFoundError(err: unknown): boolean {
  return isAtlasApiError(err) && err.statusCode === 404;
}

interface ParsedErrorBody {
  detail?: string;
  errorCode?: string;
  reason?: string;
  parameters?: unknown[];
}

function parseErrorBody(text: string): ParsedErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  const fields = parsed as Record<string, unknown>;
  // An OAuth 2.0 error body (RFC 6749, section 5.2) names the error in `error` and explains it in
  // `error_description`, where an Atlas body has a numeric `error` and the text in `detail`.
  return {
    detail: optionalString(fields.detail) ?? optionalString(fields.error_description),
    errorCode: optionalString(fields.errorCode) ?? optionalString(fields.error),
    reason: optionalString(fields.reason),
    parameters: Array.isArray(fields.parameters) ? (fields.parameters as unknown[]) : undefined,
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function retryAfterFromDetail(statusCode: number, detail: string | undefined): number | undefined {
  if (statusCode !== 429 && statusCode !== 503) {
    return undefined;
  }
  const match = detail === undefined ? null : RETRY_AFTER_DETAIL.exec(detail);
  return match === null ? undefined : Number(match[1]);
}

function formatApiErrorMessage(init: AtlasApiErrorInit, body: ParsedErrorBody | undefined): string {
  const status = body?.errorCode ? `${init.statusCode} ${body.errorCode}` : `${init.statusCode}`;
  let message = `Atlas returned ${status} for ${init.method} ${init.path}`;
  if (init.statusCode === 401) {
    message = `Atlas authentication failed with ${status} for ${init.method} ${init.path}`;
  } else if (init.statusCode === 403) {
    message = `Atlas denied access with ${status} for ${init.method} ${init.path}`;
  }

  const explanation = body ? (body.detail ?? body.reason) : excerptBody(init.body);
  if (explanation) {
    message += `: ${explanation}`;
  } else if (init.body.trim() === "") {
    message += " with an empty body";
  }

  if (init.statusCode === 401 || init.statusCode === 403) {
    message = `${withFinalPeriod(message)} ${credentialsHint(init.authMethod ?? "apiKey", init.statusCode)}`;
  }
  if (init.retryNote !== undefined) {
    message = `${withFinalPeriod(message)} ${init.retryNote}`;
  } else if (init.retryAfterSeconds !== undefined && !statesWait(explanation, init.retryAfterSeconds)) {
    message = `${withFinalPeriod(message)} Retry after ${init.retryAfterSeconds} s.`;
  }
  return message;
}

/** Returns true when Atlas's text already states a wait of `seconds`, such as "Please retry after 55 seconds." */
function statesWait(explanation: string | undefined, seconds: number): boolean {
  const match = explanation === undefined ? null : RETRY_AFTER_DETAIL.exec(explanation);
  return match !== null && Number(match[1]) === seconds;
}

/**
 * Returns the start of a response body for an error message, with whitespace collapsed and at most
 * 200 characters. Internal to this folder.
 */
export function excerptBody(text: string): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  if (collapsed.length <= BODY_EXCERPT_LENGTH) {
    return collapsed;
  }
  return `${collapsed.slice(0, BODY_EXCERPT_LENGTH)}…`;
}

function withFinalPeriod(sentence: string): string {
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
