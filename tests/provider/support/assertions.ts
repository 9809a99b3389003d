import assert from "node:assert/strict";

/** The fields a provider error may carry, for assertions. */
export type CapturedError = Error & { id?: unknown; properties?: Record<string, unknown>; reasons?: unknown };

/** Awaits `promise` and returns what it rejected with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<CapturedError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
    return err;
  }
  return assert.fail("expected the promise to reject");
}

/**
 * Runs `fn` with the environment variables in `changes` set (or removed, for undefined), then restores every one of
 * them, also when `fn` rejects.
 */
export async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(changes)) {
    saved.set(name, process.env[name]);
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}

/** Names of every Atlas credential and base URL environment variable the provider reads, mapped to undefined. */
export const NO_ATLAS_ENV: Record<string, undefined> = {
  MONGODB_ATLAS_PUBLIC_KEY: undefined,
  MONGODB_ATLAS_PUBLIC_API_KEY: undefined,
  MONGODB_ATLAS_PRIVATE_KEY: undefined,
  MONGODB_ATLAS_PRIVATE_API_KEY: undefined,
  MONGODB_ATLAS_BASE_URL: undefined,
};
