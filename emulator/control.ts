import type { AccessTokenIssuer } from "./accessTokens";
import { validateTokenRateLimit } from "./accessTokens";
import { AtlasError, ControlError } from "./errors";
import type { FaultInjector } from "./faults";
import type { KeyRing } from "./keys";
import { validateRateLimit } from "./rateLimit";
import type { RequestLog } from "./requestLog";
import { Router } from "./router";
import type { ServiceAccountRegistry } from "./serviceAccounts";
import { newServiceAccount, validateServiceAccount } from "./serviceAccounts";
import type { ForcedStatus, OutcomeRule, Store } from "./store";
import { INTERFACE_ENDPOINT_ID_PATTERN } from "./atlasRoutes";
import type { RateLimitConfig, ServiceAccount, TokenRateLimitConfig, TransitionTiming } from "./types";
import { TIMING_KEYS } from "./types";

/** Prefix of every control route. */
export const CONTROL_PREFIX = "/__emulator";

/** Maximum phase duration that the control interface accepts: one day, in milliseconds. */
const MAX_DURATION_MS = 86_400_000;

/** Status names: upper-case letters and underscores, as Atlas writes them. */
const STATUS_PATTERN = /^[A-Z][A-Z_]*$/;

/** The parts of a running emulator that the control routes read and change. */
export interface ControlContext {
  store: Store;
  faults: FaultInjector;
  requestLog: RequestLog;
  keys: KeyRing;
  serviceAccounts: ServiceAccountRegistry;
  tokens: AccessTokenIssuer;
  removeServiceWithLastEndpoint: boolean;
  startedAt: number;
  getRateLimit(): RateLimitConfig | null;
  setRateLimit(config: RateLimitConfig | null): void;
  /** Restores the state the emulator started with; keeps the primary key and the initial project id. */
  reset(): { projectId: string };
}

/** Response of a control route; every body is JSON. */
export interface ControlResult {
  status: number;
  body: unknown;
}

type ControlHandler = (context: ControlContext, params: Record<string, string>, body: JsonObject) => ControlResult;
type JsonObject = Record<string, unknown>;

const SERVICE = `${CONTROL_PREFIX}/projects/{groupId}/services/{serviceId}`;
const ENDPOINT = `${SERVICE}/endpoints/{endpointId}`;

const router = new Router<ControlHandler>([
  { method: "GET", path: `${CONTROL_PREFIX}/health`, handler: health },
  { method: "GET", path: `${CONTROL_PREFIX}/state`, handler: state },
  { method: "GET", path: `${CONTROL_PREFIX}/projects`, handler: listProjects },
  { method: "POST", path: `${CONTROL_PREFIX}/projects`, handler: createProject },
  { method: "GET", path: `${CONTROL_PREFIX}/requests`, handler: listRequests },
  { method: "DELETE", path: `${CONTROL_PREFIX}/requests`, handler: clearRequests },
  { method: "GET", path: `${CONTROL_PREFIX}/timing`, handler: getTiming },
  { method: "PUT", path: `${CONTROL_PREFIX}/timing`, handler: putTiming },
  { method: "GET", path: `${CONTROL_PREFIX}/outcomes`, handler: listOutcomes },
  { method: "POST", path: `${CONTROL_PREFIX}/outcomes`, handler: addOutcome },
  { method: "DELETE", path: `${CONTROL_PREFIX}/outcomes`, handler: clearOutcomes },
  { method: "DELETE", path: `${CONTROL_PREFIX}/outcomes/{interfaceEndpointId}`, handler: removeOutcome },
  { method: "POST", path: `${SERVICE}/force`, handler: forceService },
  { method: "DELETE", path: SERVICE, handler: removeService },
  { method: "POST", path: `${ENDPOINT}/force`, handler: forceEndpoint },
  { method: "DELETE", path: ENDPOINT, handler: removeEndpoint },
  { method: "GET", path: `${CONTROL_PREFIX}/faults`, handler: listFaults },
  { method: "POST", path: `${CONTROL_PREFIX}/faults`, handler: addFault },
  { method: "DELETE", path: `${CONTROL_PREFIX}/faults`, handler: clearFaults },
  { method: "DELETE", path: `${CONTROL_PREFIX}/faults/{faultId}`, handler: removeFault },
  { method: "GET", path: `${CONTROL_PREFIX}/rate-limit`, handler: getRateLimit },
  { method: "PUT", path: `${CONTROL_PREFIX}/rate-limit`, handler: putRateLimit },
  { method: "DELETE", path: `${CONTROL_PREFIX}/rate-limit`, handler: deleteRateLimit },
  { method: "GET", path: `${CONTROL_PREFIX}/keys`, handler: listKeys },
  { method: "POST", path: `${CONTROL_PREFIX}/keys`, handler: addKey },
  { method: "GET", path: `${CONTROL_PREFIX}/service-accounts`, handler: listServiceAccounts },
  { method: "POST", path: `${CONTROL_PREFIX}/service-accounts`, handler: addServiceAccount },
  { method: "GET", path: `${CONTROL_PREFIX}/tokens`, handler: listTokens },
  { method: "DELETE", path: `${CONTROL_PREFIX}/tokens`, handler: revokeTokens },
  { method: "DELETE", path: `${CONTROL_PREFIX}/tokens/{clientId}`, handler: revokeTokens },
  { method: "GET", path: `${CONTROL_PREFIX}/token-rate-limit`, handler: getTokenRateLimit },
  { method: "PUT", path: `${CONTROL_PREFIX}/token-rate-limit`, handler: putTokenRateLimit },
  { method: "DELETE", path: `${CONTROL_PREFIX}/token-rate-limit`, handler: deleteTokenRateLimit },
  { method: "POST", path: `${CONTROL_PREFIX}/reset`, handler: reset },
]);

/**
 * Runs a control request. Errors become `{"error": message}` bodies: ControlError keeps its status, and the
 * Atlas errors that the store throws for unknown objects keep theirs and add their `errorCode`.
 */
export function handleControlRequest(
  context: ControlContext,
  method: string,
  path: string,
  rawBody: string,
): ControlResult {
  const match = router.match(method, path);
  if (match.kind === "not-found") {
    return { status: 404, body: { error: `No control route ${method} ${path}.` } };
  }
  if (match.kind === "method-not-allowed") {
    return {
      status: 405,
      body: { error: `Method ${method} is not allowed on ${path}; use ${match.allowed.join(", ")}.` },
    };
  }
  try {
    return match.handler(context, match.params, parseBody(rawBody));
  } catch (error) {
    if (error instanceof ControlError) {
      return { status: error.status, body: { error: error.message } };
    }
    if (error instanceof AtlasError) {
      return { status: error.status, body: { error: error.detail, errorCode: error.errorCode } };
    }
    throw error;
  }
}

function parseBody(rawBody: string): JsonObject {
  if (rawBody.trim() === "") {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody) as unknown;
  } catch {
    throw new ControlError(400, "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ControlError(400, "The request body must be a JSON object.");
  }
  return parsed as JsonObject;
}

function ok(body: unknown, status = 200): ControlResult {
  return { status, body };
}

function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "string") {
    throw new ControlError(400, `${name} must be a string.`);
  }
  return value;
}

function optionalNullableString(body: JsonObject, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== "string") {
    throw new ControlError(400, `${name} must be a string or null.`);
  }
  return value;
}

function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "boolean") {
    throw new ControlError(400, `${name} must be a boolean.`);
  }
  return value;
}

function requiredStatus(body: JsonObject, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || !STATUS_PATTERN.test(value)) {
    throw new ControlError(400, `${name} must be a status name such as AVAILABLE.`);
  }
  return value;
}

function health(context: ControlContext): ControlResult {
  return ok({ status: "ok", uptimeMs: Date.now() - context.startedAt });
}

function state(context: ControlContext): ControlResult {
  return ok({
    now: new Date().toISOString(),
    timing: context.store.timing,
    removeServiceWithLastEndpoint: context.removeServiceWithLastEndpoint,
    rateLimit: context.getRateLimit(),
    tokenLifetimeMs: context.tokens.settings.lifetimeMs,
    tokenRateLimit: context.tokens.settings.rateLimit,
    maxActiveTokens: context.tokens.settings.maxActiveTokens,
    ...context.store.snapshot(),
    outcomes: context.store.listOutcomes(),
    faults: context.faults.list(),
  });
}

function listProjects(context: ControlContext): ControlResult {
  return ok({ projects: context.store.snapshot().projects.map(({ id, name }) => ({ id, name })) });
}

function createProject(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  return ok(context.store.addProject(optionalString(body, "id"), optionalString(body, "name")), 201);
}

function listRequests(context: ControlContext): ControlResult {
  return ok({ requests: context.requestLog.list() });
}

function clearRequests(context: ControlContext): ControlResult {
  context.requestLog.clear();
  return ok({ requests: [] });
}

function getTiming(context: ControlContext): ControlResult {
  return ok(context.store.timing);
}

function putTiming(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  const update: Partial<TransitionTiming> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!(TIMING_KEYS as readonly string[]).includes(name)) {
      throw new ControlError(400, `Unknown timing field ${name}; expected one of ${TIMING_KEYS.join(", ")}.`);
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_DURATION_MS) {
      throw new ControlError(400, `${name} must be a number of milliseconds from 0 to ${MAX_DURATION_MS}.`);
    }
    update[name as keyof TransitionTiming] = value;
  }
  context.store.timing = { ...context.store.timing, ...update };
  return ok(context.store.timing);
}

function listOutcomes(context: ControlContext): ControlResult {
  return ok({ outcomes: context.store.listOutcomes() });
}

function addOutcome(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  const interfaceEndpointId = body.interfaceEndpointId;
  if (typeof interfaceEndpointId !== "string" || !INTERFACE_ENDPOINT_ID_PATTERN.test(interfaceEndpointId)) {
    throw new ControlError(400, "interfaceEndpointId must be vpce- followed by 17 or 8 lowercase hex characters.");
  }
  const connectionStatus = body.connectionStatus === undefined ? "AVAILABLE" : requiredStatus(body, "connectionStatus");
  if (connectionStatus === "DELETING") {
    throw new ControlError(400, "connectionStatus DELETING cannot be an outcome; delete the endpoint instead.");
  }
  const times = body.times;
  if (times !== undefined && times !== null && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) {
    throw new ControlError(400, "times must be a positive integer or null.");
  }
  const rule: OutcomeRule = {
    interfaceEndpointId,
    connectionStatus,
    errorMessage: optionalNullableString(body, "errorMessage"),
    pendingErrorMessage: optionalNullableString(body, "pendingErrorMessage"),
    hold: optionalBoolean(body, "hold") ?? false,
    remaining: typeof times === "number" ? times : null,
  };
  context.store.setOutcome(rule);
  return ok(rule, 201);
}

function clearOutcomes(context: ControlContext): ControlResult {
  context.store.clearOutcomes();
  return ok({ outcomes: [] });
}

function removeOutcome(context: ControlContext, params: Record<string, string>): ControlResult {
  if (!context.store.removeOutcome(params.interfaceEndpointId)) {
    throw new ControlError(404, `No outcome rule for ${params.interfaceEndpointId}.`);
  }
  return ok({ removed: params.interfaceEndpointId });
}

function parseForcedStatus(body: JsonObject, statusField: string): ForcedStatus {
  return {
    status: requiredStatus(body, statusField),
    errorMessage: optionalNullableString(body, "errorMessage"),
    hold: optionalBoolean(body, "hold") ?? false,
    deleteRequested: optionalBoolean(body, "deleteRequested"),
  };
}

function forceService(context: ControlContext, params: Record<string, string>, body: JsonObject): ControlResult {
  const forced = parseForcedStatus(body, "status");
  return ok(context.store.forceService(params.groupId, params.serviceId, forced));
}

function removeService(context: ControlContext, params: Record<string, string>): ControlResult {
  context.store.removeServiceNow(params.groupId, params.serviceId);
  return ok({ removed: params.serviceId });
}

function forceEndpoint(context: ControlContext, params: Record<string, string>, body: JsonObject): ControlResult {
  const forced = parseForcedStatus(body, "connectionStatus");
  return ok(context.store.forceEndpoint(params.groupId, params.serviceId, params.endpointId, forced));
}

function removeEndpoint(context: ControlContext, params: Record<string, string>): ControlResult {
  context.store.removeEndpointNow(params.groupId, params.serviceId, params.endpointId);
  return ok({ removed: params.endpointId });
}

function listFaults(context: ControlContext): ControlResult {
  return ok({ faults: context.faults.list() });
}

function addFault(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  return ok(context.faults.add(body), 201);
}

function clearFaults(context: ControlContext): ControlResult {
  context.faults.clear();
  return ok({ faults: [] });
}

function removeFault(context: ControlContext, params: Record<string, string>): ControlResult {
  if (!context.faults.remove(params.faultId)) {
    throw new ControlError(404, `No fault rule with id ${params.faultId}.`);
  }
  return ok({ removed: params.faultId });
}

function getRateLimit(context: ControlContext): ControlResult {
  return ok({ rateLimit: context.getRateLimit() });
}

function putRateLimit(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  const config: RateLimitConfig = {
    requestsPerSecond: body.requestsPerSecond as number,
    burst: body.burst === undefined ? undefined : (body.burst as number),
  };
  const problem = validateRateLimit(config);
  if (problem !== undefined) {
    throw new ControlError(400, problem);
  }
  context.setRateLimit(config);
  return ok({ rateLimit: context.getRateLimit() });
}

function deleteRateLimit(context: ControlContext): ControlResult {
  context.setRateLimit(null);
  return ok({ rateLimit: null });
}

function listKeys(context: ControlContext): ControlResult {
  return ok({ keys: context.keys.list() });
}

function addKey(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  const publicKey = optionalString(body, "publicKey");
  const privateKey = optionalString(body, "privateKey");
  if (!publicKey || !privateKey) {
    throw new ControlError(400, "publicKey and privateKey are required non-empty strings.");
  }
  const projectIds = body.projectIds;
  if (
    projectIds !== undefined &&
    projectIds !== null &&
    !(Array.isArray(projectIds) && projectIds.every((id) => typeof id === "string"))
  ) {
    throw new ControlError(400, "projectIds must be an array of project ids, or null for every project.");
  }
  const allowed = Array.isArray(projectIds) ? projectIds.map(String) : undefined;
  context.keys.add({ publicKey, privateKey, projectIds: allowed });
  return ok({ publicKey, projectIds: allowed ?? null }, 201);
}

function listServiceAccounts(context: ControlContext): ControlResult {
  return ok({ serviceAccounts: context.serviceAccounts.list() });
}

/**
 * Adds a service account. A missing client id or secret is generated, and the response carries the secret, which
 * no other route returns.
 */
function addServiceAccount(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  const generated = newServiceAccount();
  const projectIds = body.projectIds;
  if (projectIds !== undefined && projectIds !== null && !Array.isArray(projectIds)) {
    throw new ControlError(400, "projectIds must be an array of project ids, or null for every project.");
  }
  const account: ServiceAccount = {
    clientId: optionalString(body, "clientId") ?? generated.clientId,
    clientSecret: optionalString(body, "clientSecret") ?? generated.clientSecret,
    projectIds: Array.isArray(projectIds) ? (projectIds as string[]) : undefined,
  };
  const problem = validateServiceAccount(account);
  if (problem !== undefined) {
    throw new ControlError(400, problem);
  }
  context.serviceAccounts.add(account);
  return ok({ ...account, projectIds: account.projectIds ?? null }, 201);
}

function listTokens(context: ControlContext): ControlResult {
  const clients = context.serviceAccounts
    .list()
    .map(({ clientId }) => ({ clientId, ...context.tokens.summary(clientId) }));
  return ok({ clients });
}

function revokeTokens(context: ControlContext, params: Record<string, string>): ControlResult {
  const clientId = params.clientId;
  if (clientId !== undefined && context.serviceAccounts.find(clientId) === undefined) {
    throw new ControlError(404, `No service account with client id ${clientId}.`);
  }
  return ok({ revoked: context.tokens.revokeAll(clientId) });
}

function getTokenRateLimit(context: ControlContext): ControlResult {
  return ok({ tokenRateLimit: context.tokens.settings.rateLimit });
}

function putTokenRateLimit(context: ControlContext, _params: Record<string, string>, body: JsonObject): ControlResult {
  const config: TokenRateLimitConfig = {
    limit: body.limit as number,
    windowMs: body.windowMs === undefined ? 60_000 : (body.windowMs as number),
  };
  const problem = validateTokenRateLimit(config);
  if (problem !== undefined) {
    throw new ControlError(400, problem);
  }
  context.tokens.settings = { ...context.tokens.settings, rateLimit: config };
  return ok({ tokenRateLimit: config });
}

function deleteTokenRateLimit(context: ControlContext): ControlResult {
  context.tokens.settings = { ...context.tokens.settings, rateLimit: null };
  return ok({ tokenRateLimit: null });
}

function reset(context: ControlContext): ControlResult {
  return ok(context.reset());
}
