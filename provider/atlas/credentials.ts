/** Atlas Admin API base URL used when neither `mongodbatlas:baseUrl` nor `MONGODB_ATLAS_BASE_URL` is set. */
export const DEFAULT_BASE_URL = "https://cloud.mongodb.com";

/** A programmatic API key pair and the Atlas base URL to send it to. */
export interface AtlasCredentials {
  publicKey: string;
  privateKey: string;
  /** http or https URL without a trailing slash, such as `https://cloud.mongodb.com`. */
  baseUrl: string;
}

/** Read access to stack configuration by fully qualified key, such as `mongodbatlas:publicKey`. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Name of one half of an Atlas API key pair. */
export type CredentialName = "publicKey" | "privateKey";

/**
 * Sentences for messages about the API keys: when a change of keys in stack config reaches `pulumi refresh` and
 * `pulumi destroy`, which run the provider with the stack config stored in the state by the last `pulumi up`.
 */
export const CONFIG_CHANGE_NOTE =
  "`pulumi refresh` and `pulumi destroy` use the stack config recorded by the last `pulumi up` unless run with " +
  "`--run-program`, so after setting or changing keys in config, run `pulumi up` (or `pulumi refresh " +
  "--run-program`) first. Environment variables take effect at once.";

/** Names the base URL setting in messages when the caller does not say which of the two it read. */
const BASE_URL_SETTINGS = "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL";

const HOW_TO_SET: Record<CredentialName, { label: string; command: string; env: string }> = {
  publicKey: {
    label: "public key",
    command: "pulumi config set --secret mongodbatlas:publicKey <public key>",
    env: "MONGODB_ATLAS_PUBLIC_KEY",
  },
  privateKey: {
    label: "private key",
    command: "pulumi config set --secret mongodbatlas:privateKey <private key>",
    env: "MONGODB_ATLAS_PRIVATE_KEY",
  },
};

/**
 * Error for an Atlas API key pair with one or both halves unset. The message names the settings and how to set them,
 * never values.
 */
export class MissingCredentialsError extends Error {
  /** The unset halves of the key pair, public key first. */
  readonly missing: readonly CredentialName[];

  /** Builds the message from `missing`, which must list at least one name. */
  constructor(missing: readonly CredentialName[]) {
    const labels = missing.map((name) => HOW_TO_SET[name].label).join(" and ");
    const commands = missing.map((name) => `\`${HOW_TO_SET[name].command}\``).join(" and ");
    const envNames = missing.map((name) => HOW_TO_SET[name].env).join(" and ");
    const pronoun = missing.length > 1 ? "them" : "it";
    const variables = missing.length > 1 ? "environment variables" : "environment variable";
    super(
      `Missing the Atlas API ${labels}. Set ${pronoun} with ${commands}, or with the ${variables} ${envNames}. ` +
        CONFIG_CHANGE_NOTE,
    );
    this.name = "MissingCredentialsError";
    this.missing = missing;
  }
}

/**
 * Resolves the Atlas API key pair and base URL. Each value comes from stack config (`mongodbatlas:publicKey`,
 * `mongodbatlas:privateKey`, `mongodbatlas:baseUrl`) when set there, else from the environment
 * (`MONGODB_ATLAS_PUBLIC_KEY` or `MONGODB_ATLAS_PUBLIC_API_KEY`, `MONGODB_ATLAS_PRIVATE_KEY` or
 * `MONGODB_ATLAS_PRIVATE_API_KEY`, `MONGODB_ATLAS_BASE_URL`), else the base URL defaults to {@link DEFAULT_BASE_URL}.
 * Values are trimmed and empty values count as unset. Throws {@link MissingCredentialsError} when either key is
 * unset, and an Error naming the setting it came from when {@link normalizeBaseUrl} rejects the base URL.
 */
export function resolveCredentials(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): AtlasCredentials {
  const publicKey = firstSet(
    config?.get("mongodbatlas:publicKey"),
    env.MONGODB_ATLAS_PUBLIC_KEY,
    env.MONGODB_ATLAS_PUBLIC_API_KEY,
  );
  const privateKey = firstSet(
    config?.get("mongodbatlas:privateKey"),
    env.MONGODB_ATLAS_PRIVATE_KEY,
    env.MONGODB_ATLAS_PRIVATE_API_KEY,
  );

  const missing: CredentialName[] = [];
  if (publicKey === undefined) {
    missing.push("publicKey");
  }
  if (privateKey === undefined) {
    missing.push("privateKey");
  }
  if (publicKey === undefined || privateKey === undefined) {
    throw new MissingCredentialsError(missing);
  }

  const configBaseUrl = firstSet(config?.get("mongodbatlas:baseUrl"));
  const envBaseUrl = firstSet(env.MONGODB_ATLAS_BASE_URL);
  let baseUrl = DEFAULT_BASE_URL;
  if (configBaseUrl !== undefined) {
    baseUrl = normalizeBaseUrl(configBaseUrl, "mongodbatlas:baseUrl");
  } else if (envBaseUrl !== undefined) {
    baseUrl = normalizeBaseUrl(envBaseUrl, "MONGODB_ATLAS_BASE_URL");
  }
  return { publicKey, privateKey, baseUrl };
}

/**
 * Checks an Atlas base URL and returns it without trailing slashes. Throws an Error naming `setting` (both base URL
 * settings when left out) and the value when the value is not an http or https URL, has a query or fragment, or has a
 * path with an `api` segment, such as `https://cloud.mongodb.com/api/atlas/v2`. The client adds `/api/atlas/v2` to
 * every request itself, so Atlas would return 404 for all of them. Other paths pass, for a proxy that serves Atlas
 * under a prefix. A URL with a user name or password is rejected without quoting it.
 */
export function normalizeBaseUrl(value: string, setting: string = BASE_URL_SETTINGS): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalidBaseUrl(value, setting, "it is not a valid URL");
  }
  if (url.username !== "" || url.password !== "") {
    throw new Error(`Invalid Atlas base URL in ${setting}: the URL must not contain a user name or password.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidBaseUrl(value, setting, "the URL must use http or https");
  }
  if (url.search !== "" || url.hash !== "") {
    throw invalidBaseUrl(value, setting, "the URL must not contain a query or fragment");
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (/(^|\/)api(\/|$)/i.test(path)) {
    throw invalidBaseUrl(
      value,
      setting,
      `the path ${path} contains an api segment, but the client adds the API path /api/atlas/v2 to every request ` +
        "itself. Set the Atlas host only",
    );
  }
  return `${url.origin}${path}`;
}

/**
 * Throws an Error when `baseUrl` (already normalized) uses plain http to a host that is not loopback (127.0.0.0/8,
 * ::1 or localhost) and `allowInsecureHttp` is false. The message names the scheme and host, never the whole URL.
 */
export function checkBaseUrlTransport(baseUrl: string, allowInsecureHttp: boolean): void {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" || allowInsecureHttp || isLoopbackHost(url.hostname)) {
    return;
  }
  throw new Error(
    `Invalid Atlas base URL in ${BASE_URL_SETTINGS}: the scheme http to the host ${url.host} ` +
      "would send requests unencrypted. Use https, or set mongodbatlas:allowInsecureHttp or " +
      'MONGODB_ATLAS_ALLOW_INSECURE_HTTP to "true" to allow plain http to a host that is not loopback.',
  );
}

/** Returns true for `localhost`, an IPv4 address in 127.0.0.0/8 and `[::1]`, as WHATWG URL parsing spells them. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function invalidBaseUrl(value: string, setting: string, reason: string): Error {
  return new Error(`Invalid Atlas base URL "${value}" in ${setting}: ${reason}, such as ${DEFAULT_BASE_URL}.`);
}

function firstSet(...values: (string | undefined)[]): string | undefined {
  for (const value of values) {
    const trimmed = value?.trim();
    if (trimmed) {
      return trimmed;
    }
  }
  return undefined;
}
