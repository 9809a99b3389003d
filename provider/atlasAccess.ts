import type * as AtlasModule from "./atlas";
import type { AtlasApi, ConfigSource } from "./atlas";

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
 * Returns `api` when set, else an AtlasClient for the credentials resolved from `config` (the stack config given to
 * `configure`) and then the environment. Throws MissingCredentialsError when a key is unset.
 */
export function openAtlasApi(config: ConfigSource | undefined, api: AtlasApi | undefined): AtlasApi {
  if (api) {
    return api;
  }
  const atlas = loadAtlasModule();
  const credentials = atlas.resolveCredentials(config, process.env);
  return new atlas.AtlasClient(credentials);
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

const TRANSIENT_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504];

/**
 * Decides whether a failed Atlas call made while polling is retried. For HTTP 429, 500, 502, 503 and 504 and for a
 * request that got no response, returns the minimum delay in milliseconds before the next call (Retry-After, else 0).
 * Returns undefined for any other error, which ends the wait.
 */
export function atlasRetryDelayMs(err: unknown): number | undefined {
  const atlas = loadAtlasModule();
  if (atlas.isAtlasApiError(err)) {
    if (!TRANSIENT_STATUS_CODES.includes(err.statusCode)) {
      return undefined;
    }
    return (err.retryAfterSeconds ?? 0) * 1000;
  }
  const name = (err as { name?: unknown } | null)?.name;
  // A request that got no response rejects with AtlasRequestError from AtlasClient, or a plain Error from other
  // AtlasApi implementations. Errors of other types (TypeError and the like) are bugs, not outages.
  return name === "AtlasRequestError" || name === "Error" ? 0 : undefined;
}
