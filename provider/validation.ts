import type { dynamic } from "@pulumi/pulumi";
import { hexIdProblem, interfaceEndpointIdProblem } from "./idProblems";
import { isUnknown } from "./unknown";

/** The form a string property must have, as a pattern and as the words and example an error message shows. */
export interface ValueRule {
  pattern: RegExp;
  /** Completes the sentence "expected ...", such as `24 lowercase hex characters`. */
  expected: string;
  example: string;
  /** Names what is wrong with a string that does not match `pattern`, such as `it has 23 characters`. */
  diagnose?: (value: string) => string | undefined;
}

/** Atlas project id (`groupId` in the Atlas API). */
export const PROJECT_ID_RULE: ValueRule = {
  pattern: /^[0-9a-f]{24}$/,
  expected: "24 lowercase hex characters",
  example: "5f0a1b2c3d4e5f6a7b8c9d0e",
  diagnose: hexIdProblem(24),
};

/** Id of an Atlas AWS endpoint service (`endpointServiceId` in the Atlas API). */
export const PRIVATE_LINK_ID_RULE: ValueRule = {
  pattern: /^[0-9a-f]{24}$/,
  expected: "24 lowercase hex characters",
  example: "6a0b1c2d3e4f5a6b7c8d9e0f",
  diagnose: hexIdProblem(24),
};

/** Id of an AWS interface VPC endpoint: 17 hex digits today, 8 for endpoints created before AWS lengthened ids. */
export const INTERFACE_ENDPOINT_ID_RULE: ValueRule = {
  pattern: /^vpce-(?:[0-9a-f]{17}|[0-9a-f]{8})$/,
  expected: '"vpce-" followed by 17 lowercase hex characters (or 8 for older endpoints)',
  example: "vpce-0a1b2c3d4e5f60718",
  diagnose: interfaceEndpointIdProblem,
};

/** AWS region name as AWS writes it, such as `us-east-1` or `us-gov-west-1`. */
export const AWS_REGION_RULE: ValueRule = {
  pattern: /^[a-z]{2}(?:-[a-z]+)+-\d+$/,
  expected: "an AWS region name in lowercase",
  example: "us-east-1",
};

/** Longest quoted value an error message shows before cutting it off. */
const MAX_DISPLAYED_LENGTH = 80;

/**
 * Checks one required string property against `rule`. Returns undefined when the value matches, else a failure that
 * names the property, the value, what is wrong with it when the rule can tell, and the expected form with an example.
 */
export function checkValue(property: string, value: unknown, rule: ValueRule): dynamic.CheckFailure | undefined {
  const expectation = `expected ${rule.expected}, e.g. ${rule.example}`;
  if (value === undefined || value === null) {
    return { property, reason: `${property} is missing: ${expectation}` };
  }
  if (value === "") {
    return { property, reason: `${property} "" is empty: ${expectation}` };
  }
  if (typeof value !== "string") {
    return { property, reason: `${property} ${describeValue(value)} is invalid (it is not a string): ${expectation}` };
  }
  if (rule.pattern.test(value)) {
    return undefined;
  }
  const problem = rule.diagnose?.(value);
  const explanation = problem === undefined ? "" : ` (${problem})`;
  return { property, reason: `${property} ${describeValue(value)} is invalid${explanation}: ${expectation}` };
}

/**
 * Checks each property of `values` named in `rules` with {@link checkValue}, skipping values that are unknown during
 * preview when `allowUnknown` is true. Returns the failures in the order of `rules`.
 */
export function checkValues(
  values: Record<string, unknown>,
  rules: Record<string, ValueRule>,
  allowUnknown: boolean,
): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  for (const [property, rule] of Object.entries(rules)) {
    const value = values[property];
    if (allowUnknown && isUnknown(value)) {
      continue;
    }
    const failure = checkValue(property, value, rule);
    if (failure) {
      failures.push(failure);
    }
  }
  return failures;
}

/** The rules for the three ids that name an interface endpoint link. */
export const INTERFACE_LINK_IDENTITY_RULES: Record<string, ValueRule> = {
  projectId: PROJECT_ID_RULE,
  privateLinkId: PRIVATE_LINK_ID_RULE,
  interfaceEndpointId: INTERFACE_ENDPOINT_ID_RULE,
};

/** Renders a value for an error message as JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_DISPLAYED_LENGTH ? `${text.slice(0, MAX_DISPLAYED_LENGTH)}…` : text;
}

/** An Error for arguments that fail validation, with the failures attached. */
export interface ValidationError extends Error {
  name: "ValidationError";
  failures: readonly dynamic.CheckFailure[];
}

/**
 * Builds a {@link ValidationError} whose message reads `<subject>: <reason>; <reason>`; `failures` must not be empty.
 * It is a plain Error with fields added, because code that runs in the serialized provider must not throw instances
 * of Error subclasses: Pulumi's function serializer rebuilds classes as functions, and such an error loses its message.
 */
export function validationError(subject: string, failures: readonly dynamic.CheckFailure[]): ValidationError {
  const message = `${subject}: ${failures.map((failure) => failure.reason).join("; ")}`;
  return Object.assign(new Error(message), { name: "ValidationError" as const, failures });
}
