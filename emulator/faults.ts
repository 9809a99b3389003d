import { AtlasError, ControlError, rateLimited, serviceUnavailable, unexpectedError } from "./errors";

/** A fault request as the control interface receives it; see README.md for the meaning of each field. */
export interface FaultRuleInput {
  method?: unknown;
  path?: unknown;
  pathRegex?: unknown;
  count?: unknown;
  status?: unknown;
  retryAfterSeconds?: unknown;
  errorCode?: unknown;
  detail?: unknown;
  delayMs?: unknown;
  drop?: unknown;
  beforeAuth?: unknown;
  afterOperation?: unknown;
}

/** A validated fault rule. It applies to the next `remaining` matching requests and is then removed. */
export interface FaultRule {
  id: string;
  /** Upper-case HTTP method, or null for every method. */
  method: string | null;
  /** Glob on the path without the query: `*` matches within one segment, `**` across segments. */
  path: string | null;
  pathRegex: string | null;
  remaining: number;
  /** Error status to respond with, or null to only delay or drop. */
  status: number | null;
  retryAfterSeconds: number | null;
  errorCode: string | null;
  detail: string | null;
  /** Delay before the response, or before the drop, in milliseconds. */
  delayMs: number;
  /** Destroy the socket instead of sending a response. */
  drop: boolean;
  /** Apply before digest authentication, so unauthenticated requests match too. */
  beforeAuth: boolean;
  /** Carry out the operation first, then respond with the status or drop: the response is lost, the change stays. */
  afterOperation: boolean;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") {
      source += "[^/]*";
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

function optionalString(input: FaultRuleInput, name: keyof FaultRuleInput): string | null {
  const value = input[name];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== "string" || value === "") {
    throw new ControlError(400, `${name} must be a non-empty string.`);
  }
  return value;
}

function optionalInteger(input: FaultRuleInput, name: keyof FaultRuleInput, min: number, max: number): number | null {
  const value = input[name];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ControlError(400, `${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function optionalBoolean(input: FaultRuleInput, name: keyof FaultRuleInput): boolean {
  const value = input[name];
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value !== "boolean") {
    throw new ControlError(400, `${name} must be a boolean.`);
  }
  return value;
}

/** Validates a fault request; throws ControlError 400 naming the first invalid field. */
export function parseFaultRule(input: FaultRuleInput, id: string): FaultRule {
  const method = optionalString(input, "method");
  const path = optionalString(input, "path");
  const pathRegex = optionalString(input, "pathRegex");
  if (pathRegex !== null) {
    try {
      new RegExp(pathRegex);
    } catch {
      throw new ControlError(400, `pathRegex is not a valid regular expression: ${pathRegex}`);
    }
  }
  const rule: FaultRule = {
    id,
    method: method === null || method === "*" ? null : method.toUpperCase(),
    path,
    pathRegex,
    remaining: optionalInteger(input, "count", 1, 1_000_000) ?? 1,
    status: optionalInteger(input, "status", 400, 599),
    retryAfterSeconds: optionalInteger(input, "retryAfterSeconds", 0, 86_400),
    errorCode: optionalString(input, "errorCode"),
    detail: optionalString(input, "detail"),
    delayMs: optionalInteger(input, "delayMs", 0, 600_000) ?? 0,
    drop: optionalBoolean(input, "drop"),
    beforeAuth: optionalBoolean(input, "beforeAuth"),
    afterOperation: optionalBoolean(input, "afterOperation"),
  };
  if (rule.drop && rule.status !== null) {
    throw new ControlError(400, "A fault can either drop the connection or respond with a status, not both.");
  }
  if (rule.afterOperation && rule.beforeAuth) {
    throw new ControlError(400, "A fault cannot apply both before authentication and after the operation.");
  }
  if (!rule.drop && rule.status === null && rule.delayMs === 0) {
    throw new ControlError(400, "A fault needs a status, a delayMs above 0 or drop: true.");
  }
  return rule;
}

/** Returns the Atlas error that a fault rule with a status responds with. */
export function faultError(rule: FaultRule): AtlasError {
  let error: AtlasError;
  if (rule.status === 429) {
    error = rateLimited(rule.retryAfterSeconds ?? 1);
  } else if (rule.status === 500) {
    error = unexpectedError();
  } else if (rule.status === 503) {
    error = serviceUnavailable(rule.retryAfterSeconds ?? undefined);
  } else {
    const headers: Record<string, string> =
      rule.retryAfterSeconds === null ? {} : { "Retry-After": String(rule.retryAfterSeconds) };
    error = new AtlasError(rule.status ?? 500, "INJECTED_FAULT", "Fault injected by the emulator.", [], headers);
  }
  if (rule.errorCode === null && rule.detail === null) {
    return error;
  }
  return new AtlasError(
    error.status,
    rule.errorCode ?? error.errorCode,
    rule.detail ?? error.detail,
    error.parameters,
    error.headers,
  );
}

/** Fault rules in the order they were added; the first matching rule wins. */
export class FaultInjector {
  private readonly rules: { rule: FaultRule; pattern: RegExp | null }[] = [];
  private nextId = 1;

  add(input: FaultRuleInput): FaultRule {
    const rule = parseFaultRule(input, `fault-${this.nextId}`);
    this.nextId += 1;
    let pattern: RegExp | null = null;
    if (rule.pathRegex !== null) {
      pattern = new RegExp(rule.pathRegex);
    } else if (rule.path !== null) {
      pattern = globToRegExp(rule.path);
    }
    this.rules.push({ rule, pattern });
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule }) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const index = this.rules.findIndex(({ rule }) => rule.id === id);
    if (index < 0) {
      return false;
    }
    this.rules.splice(index, 1);
    return true;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Finds the first rule of the given stage that matches, counts one use of it and returns a copy. */
  take(method: string, path: string, beforeAuth: boolean): FaultRule | undefined {
    const index = this.rules.findIndex(
      ({ rule, pattern }) =>
        rule.beforeAuth === beforeAuth &&
        (rule.method === null || rule.method === method.toUpperCase()) &&
        (pattern === null || pattern.test(path)),
    );
    if (index < 0) {
      return undefined;
    }
    const { rule } = this.rules[index];
    rule.remaining -= 1;
    if (rule.remaining <= 0) {
      this.rules.splice(index, 1);
    }
    return { ...rule };
  }
}
