import type * as AtlasModule from "./atlas";
import type { AtlasApi, ConfigSource } from "./atlas";
import { CONSOLE_LOG } from "./progress";
import type { LogWriter } from "./progress";

// The Atlas client is loaded with require() inside the methods instead of an import, so that the serialized provider
// refers to it by path. Serializing it by value would copy the client code into the state, and its private class
// fields cannot be serialized at all. When this package is installed under node_modules, the serializer captures this
// module as a require() of the package, so the provider process resolves the path again from its own copy.
// NOTE: when the package runs from a source checkout instead, the absolute path is stored in the state, so refresh and
// destroy must run where that checkout exists.
const ATLAS_MODULE_PATH: string = require.resolve("./atlas");

/** Loads the Atlas client module (and urllib with it) on first use. */
export function loadAtlasModule(): typeof AtlasModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load by path; see ATLAS_MODULE_PATH
  return require(ATLAS_MODULE_PATH) as typeof AtlasModule;
}

/**
 * Returns `api` when set, else this process's AtlasClient for the settings resolved from `config` (the stack config
 * given to `configure`) and then the environment. Calls with equal settings share one client, and with it one digest
 * session or service account token. Pass the same `log` function on every call to share the client: it receives a
 * line for each retry (console.log by default, the provider process's log). The cache lives in the Atlas module, which is
 * loaded by path, so nothing of it is serialized. Throws MissingCredentialsError when no authentication method is
 * complete, and an Error for an invalid setting.
 */
export function openAtlasApi(
  config: ConfigSource | undefined,
  api: AtlasApi | undefined,
  log: LogWriter = CONSOLE_LOG,
): AtlasApi {
  if (api) {
    return api;
  }
  const atlas = loadAtlasModule();
  return atlas.sharedAtlasClient({ ...atlas.resolveClientSettings(config, process.env), log });
}

/**
 * Returns the Error of an invalid client setting in `config` or the environment, such as mongodbatlas:maxRetries or
 * mongodbatlas:privateEndpointApi, so that `pulumi up` reports it even when no resource calls Atlas. Returns undefined
 * when `api` is set (tests), when the settings are valid, and when credentials are missing, because every call that
 * needs them reports that itself.
 */
export function invalidAtlasSetting(config: ConfigSource | undefined, api: AtlasApi | undefined): Error | undefined {
  if (api) {
    return undefined;
  }
  const atlas = loadAtlasModule();
  try {
    atlas.resolveClientSettings(config, process.env);
  } catch (err) {
    if (!(err instanceof atlas.MissingCredentialsError)) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }
  return undefined;
}

/** Returns true when `err` is an Atlas API error with HTTP status 404. */
export function isAtlasNotFound(err: unknown): boolean {
  return loadAtlasModule().isNotFoundError(err);
}

/** Returns the HTTP status of an Atlas API error, or undefined for any other error. */
export function atlasStatusCode(err: unknown): number | undefined {
  const atlas = loadAtlasModule();
  return atlas.isAtlasApiError(err) ? err.statusCode : undefined;
}

/**
 * Minimum wait in milliseconds before the poll loop reads again after a call that AtlasClient already retried to
 * exhaustion. The client's own retries span seconds, so an outage that outlasts them likely lasts minutes.
 */
export const EXHAUSTED_RETRY_POLL_DELAY_MS = 60_000;

/**
 * Decides whether a failed Atlas call made while polling is retried, and returns the minimum delay in milliseconds
 * before the next poll, or undefined to end the wait with the error. The client retries each call on its own (see
 * AtlasClient), so the poll loop adds one slower layer on top:
 * - a transient error (408, 429, 5xx, or a request that got no response) is retried, so that a create or delete wait
 *   of hours survives an Atlas outage of minutes, always within the resource's create or delete timeout;
 * - after the client retried the call to exhaustion (`attempts` above 1), the next poll waits at least
 *   {@link EXHAUSTED_RETRY_POLL_DELAY_MS}, so the poll loop does not repeat the client's retries at once;
 * - a Retry-After that the client did not wait for, because it would pass the client's retry time limit, is honoured;
 * - any other error ends the wait.
 */
export function atlasRetryDelayMs(err: unknown): number | undefined {
  const atlas = loadAtlasModule();
  let retryAfterMs = 0;
  if (atlas.isAtlasApiError(err)) {
    if (!atlas.isTransientStatus(err.statusCode)) {
      return undefined;
    }
    retryAfterMs = (err.retryAfterSeconds ?? 0) * 1000;
  } else {
    const name = (err as { name?: unknown } | null)?.name;
    // A request that got no response rejects with AtlasRequestError from AtlasClient, or a plain Error from other
    // AtlasApi implementations. Errors of other types (TypeError and the like) are bugs, not outages.
    if (name !== "AtlasRequestError" && name !== "Error") {
      return undefined;
    }
  }
  const attempts = (err as { attempts?: unknown }).attempts;
  const retriedByClient = typeof attempts === "number" && attempts > 1;
  return retriedByClient ? Math.max(retryAfterMs, EXHAUSTED_RETRY_POLL_DELAY_MS) : retryAfterMs;
}
