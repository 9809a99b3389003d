import type { AtlasClientOptions } from "./client";
import { resolveCredentials } from "./credentials";
import type { ConfigSource } from "./credentials";
import { describeAllowedApis, PRIVATE_ENDPOINT_APIS } from "./privateEndpointApi";
import type { PrivateEndpointApi } from "./privateEndpointApi";
import { DEFAULT_RETRY_SETTINGS } from "./retry";

/** Retries after the first attempt when neither `mongodbatlas:maxRetries` nor `MONGODB_ATLAS_MAX_RETRIES` is set. */
export const DEFAULT_MAX_RETRIES = DEFAULT_RETRY_SETTINGS.maxAttempts - 1;

/** One client setting: its stack config key and its environment variable. */
interface SettingName {
  key: string;
  env: string;
}

const MAX_RETRIES: SettingName = { key: "mongodbatlas:maxRetries", env: "MONGODB_ATLAS_MAX_RETRIES" };
const RETRY_TIMEOUT: SettingName = { key: "mongodbatlas:retryTimeout", env: "MONGODB_ATLAS_RETRY_TIMEOUT" };
const ALLOW_INSECURE_HTTP: SettingName = {
  key: "mongodbatlas:allowInsecureHttp",
  env: "MONGODB_ATLAS_ALLOW_INSECURE_HTTP",
};

const PRIVATE_ENDPOINT_API: SettingName = {
  key: "mongodbatlas:privateEndpointApi",
  env: "MONGODB_ATLAS_PRIVATE_ENDPOINT_API",
};

const DURATION_UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/**
 * Resolves every AtlasClient setting from stack config, else the environment: the credentials and base URL as
 * {@link resolveCredentials} does, `mongodbatlas:maxRetries` / `MONGODB_ATLAS_MAX_RETRIES` (retries after the first
 * attempt, default 4), `mongodbatlas:retryTimeout` / `MONGODB_ATLAS_RETRY_TIMEOUT` (total retry time in seconds or a
 * duration such as "90s", default "5m"), `mongodbatlas:allowInsecureHttp` / `MONGODB_ATLAS_ALLOW_INSECURE_HTTP` and
 * `mongodbatlas:privateEndpointApi` / `MONGODB_ATLAS_PRIVATE_ENDPOINT_API` ("v2", the default, or "legacy").
 * Throws MissingCredentialsError when no authentication method is complete, and an Error naming the setting, the
 * value and the expected form when a value is invalid.
 */
export function resolveClientSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): AtlasClientOptions {
  const credentials = resolveCredentials(config, env);

  const maxRetries = readSetting(config, env, MAX_RETRIES);
  const retryTimeout = readSetting(config, env, RETRY_TIMEOUT);
  const allowInsecureHttp = readSetting(config, env, ALLOW_INSECURE_HTTP);
  const privateEndpointApi = readSetting(config, env, PRIVATE_ENDPOINT_API);

  return {
    ...credentials,
    retry: {
      maxAttempts: maxRetries === undefined ? DEFAULT_RETRY_SETTINGS.maxAttempts : parseMaxRetries(maxRetries) + 1,
      maxElapsedMs:
        retryTimeout === undefined ? DEFAULT_RETRY_SETTINGS.maxElapsedMs : parseRetryTimeoutMs(retryTimeout),
    },
    allowInsecureHttp: allowInsecureHttp === undefined ? false : parseBoolean(allowInsecureHttp),
    privateEndpointApi: privateEndpointApi === undefined ? "v2" : parsePrivateEndpointApi(privateEndpointApi),
  };
}

/** A setting's trimmed value and the name it was read from, for error messages. */
interface SettingValue {
  value: string;
  source: string;
}

/** Reads a setting from config, else the environment; empty and blank values count as unset. */
function readSetting(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  name: SettingName,
): SettingValue | undefined {
  const fromConfig = config?.get(name.key)?.trim();
  if (fromConfig) {
    return { value: fromConfig, source: name.key };
  }
  const fromEnv = env[name.env]?.trim();
  if (fromEnv) {
    return { value: fromEnv, source: name.env };
  }
  return undefined;
}

function parseMaxRetries(setting: SettingValue): number {
  const count = /^\d+$/.test(setting.value) ? Number(setting.value) : Number.NaN;
  if (!Number.isSafeInteger(count)) {
    throw invalidSetting(setting, "a whole number of retries of 0 or more, such as 4");
  }
  return count;
}

/** Parses a number of seconds ("90", "1.5") or a duration of h, m, s and ms parts ("90s", "5m", "1h30m") into ms. */
function parseRetryTimeoutMs(setting: SettingValue): number {
  const expected = 'a number of seconds or a duration such as "90s", "5m" or "1h30m"';
  const text = setting.value.toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) {
    throw invalidSetting(setting, expected);
  }
  let totalMs = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    totalMs += Number(part[1]) * DURATION_UNITS_MS[part[2]];
  }
  return Math.round(totalMs);
}

function parseBoolean(setting: SettingValue): boolean {
  const text = setting.value.toLowerCase();
  if (text === "true") {
    return true;
  }
  if (text === "false") {
    return false;
  }
  throw invalidSetting(setting, '"true" or "false"');
}

function parsePrivateEndpointApi(setting: SettingValue): PrivateEndpointApi {
  const api = PRIVATE_ENDPOINT_APIS.find((value) => value === setting.value.toLowerCase());
  if (api === undefined) {
    throw invalidSetting(setting, describeAllowedApis());
  }
  return api;
}

function invalidSetting(setting: SettingValue, expected: string): Error {
  return new Error(`Invalid ${setting.source} "${setting.value}": expected ${expected}.`);
}
