import type { dynamic } from "@pulumi/pulumi";
import { isUnknown } from "./unknown";
import { describeValue } from "./validation";

/**
 * How long a create or delete may wait for Atlas. A number is minutes; a string is a duration made of hours, minutes
 * and seconds in that order, such as `"90s"`, `"45m"`, `"2h"` or `"1h30m"`. Unset fields take the resource's default.
 */
export interface Timeouts {
  /** Create timeout as set: minutes, or a duration string such as `"45m"`. */
  create?: string | number;
  /** Delete timeout as set: minutes, or a duration string such as `"45m"`. */
  delete?: string | number;
}

/** Timeouts in milliseconds, with defaults applied. */
export interface ResolvedTimeouts {
  createMs: number;
  deleteMs: number;
}

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

const TIMEOUT_KEYS: readonly (keyof Timeouts)[] = ["create", "delete"];

const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

const DURATION_EXPECTATION =
  'expected minutes as a positive number, or a positive duration such as "90s", "45m", "2h" or "1h30m"';

/**
 * Parses a timeout into milliseconds: a number counts minutes, a string is hours, minutes and seconds in that order
 * (`"1h30m"`, `"90s"`, decimals allowed). Returns undefined for anything else, and for durations that round to 0 ms
 * or less.
 */
export function parseDurationMs(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === "number") {
    ms = value * MS_PER_MINUTE;
  } else if (typeof value === "string") {
    const match = DURATION_PATTERN.exec(value);
    if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) {
      return undefined;
    }
    const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0));
    ms = hours * MS_PER_HOUR + minutes * MS_PER_MINUTE + seconds * MS_PER_SECOND;
  } else {
    return undefined;
  }
  const rounded = Math.round(ms);
  return Number.isFinite(rounded) && rounded > 0 ? rounded : undefined;
}

/**
 * Checks a `timeouts` input: absent, unknown during preview, or an object whose `create` and `delete` fields are
 * each absent, unknown or a duration {@link parseDurationMs} accepts. Returns one failure per problem.
 */
export function checkTimeouts(value: unknown): dynamic.CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value)) {
    return [];
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    return [
      {
        property: "timeouts",
        reason:
          `timeouts ${describeValue(value)} is invalid: expected an object with optional create and delete ` +
          'durations, e.g. { create: "2h", delete: "1h" }',
      },
    ];
  }

  const failures: dynamic.CheckFailure[] = [];
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const property = `timeouts.${key}`;
    if (!(TIMEOUT_KEYS as readonly string[]).includes(key)) {
      failures.push({ property, reason: `${property} is not supported: expected only create and delete` });
      continue;
    }
    if (field === undefined || field === null || isUnknown(field)) {
      continue;
    }
    if (parseDurationMs(field) === undefined) {
      failures.push({ property, reason: invalidDurationReason(property, field) });
    }
  }
  return failures;
}

/**
 * Copies the set fields of a checked `timeouts` input. Returns undefined when no field is set, and an unknown
 * value unchanged.
 */
export function normalizeTimeouts(value: unknown): Timeouts | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (isUnknown(value)) {
    // The placeholder passes through, so the engine still treats the input as unknown.
    return value;
  }
  const source = value as Record<string, unknown>;
  const result: Timeouts = {};
  for (const key of TIMEOUT_KEYS) {
    const field = source[key];
    if (typeof field === "string" || typeof field === "number") {
      result[key] = field;
    }
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * Resolves a checked `timeouts` input to milliseconds, taking `defaults` for unset fields. Throws an Error naming the
 * field when a set value does not parse, which `check` rules out before any create or delete.
 */
export function resolveTimeouts(value: Timeouts | undefined, defaults: ResolvedTimeouts): ResolvedTimeouts {
  return {
    createMs: resolveOne("create", value?.create, defaults.createMs),
    deleteMs: resolveOne("delete", value?.delete, defaults.deleteMs),
  };
}

/**
 * Returns true when two `timeouts` inputs resolve to the same durations. An unknown value on either side counts
 * as different, and so does a value that does not parse.
 */
export function sameTimeouts(a: unknown, b: unknown, defaults: ResolvedTimeouts): boolean {
  const left = tryResolve(a, defaults);
  const right = tryResolve(b, defaults);
  if (!left || !right) {
    return false;
  }
  return left.createMs === right.createMs && left.deleteMs === right.deleteMs;
}

/** Formats milliseconds for messages: `12.4s` under a minute, else whole hours, minutes and seconds (`1h30m`). */
export function formatDuration(ms: number): string {
  if (ms < MS_PER_MINUTE) {
    return `${(Math.max(ms, 0) / MS_PER_SECOND).toFixed(1)}s`;
  }
  const totalSeconds = Math.round(ms / MS_PER_SECOND);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours > 0 ? `${hours}h` : ""}${minutes > 0 ? `${minutes}m` : ""}${seconds > 0 ? `${seconds}s` : ""}`;
}

function resolveOne(key: keyof Timeouts, value: unknown, defaultMs: number): number {
  if (value === undefined || value === null) {
    return defaultMs;
  }
  const ms = parseDurationMs(value);
  if (ms === undefined) {
    throw new Error(invalidDurationReason(`timeouts.${key}`, value));
  }
  return ms;
}

function tryResolve(value: unknown, defaults: ResolvedTimeouts): ResolvedTimeouts | undefined {
  if (isUnknown(value) || checkTimeouts(value).length > 0) {
    return undefined;
  }
  const fields = value as Timeouts | undefined | null;
  if (fields && (isUnknown(fields.create) || isUnknown(fields.delete))) {
    return undefined;
  }
  return resolveTimeouts(fields ?? undefined, defaults);
}

function invalidDurationReason(property: string, value: unknown): string {
  return `${property} ${describeValue(value)} is invalid (${durationProblem(value)}): ${DURATION_EXPECTATION}`;
}

/** Names what is wrong with a value that {@link parseDurationMs} does not accept. */
function durationProblem(value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      return "it is not a finite number";
    }
    if (value === 0) {
      return "it is zero";
    }
    return value < 0 ? "it is negative" : "it is shorter than a millisecond";
  }
  if (typeof value !== "string") {
    return "it is neither a number nor a string";
  }
  if (value.trim() === "") {
    return "it is empty";
  }
  if (value.trim().startsWith("-")) {
    return "it is negative";
  }
  const unsupportedUnit = (value.match(/[a-z]+/gi) ?? []).find((unit) => !["h", "m", "s"].includes(unit));
  if (unsupportedUnit !== undefined) {
    return `it uses the unit "${unsupportedUnit}", but only h, m and s are supported`;
  }
  if (/\s/.test(value)) {
    return "it contains whitespace";
  }
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    return "it has no unit: a string needs h, m or s, and a number counts minutes";
  }
  if (DURATION_PATTERN.test(value)) {
    return /[1-9]/.test(value) ? "it is shorter than a millisecond" : "it is zero";
  }
  return "each part must be a number followed by h, m or s, in the order h, m, s";
}
