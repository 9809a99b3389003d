/** Atlas Admin API base URL used when no base URL is set and Atlas for Government is off. */
export const DEFAULT_BASE_URL = "https://cloud.mongodb.com";

/** Base URL of Atlas for Government, used when `mongodbatlas:isMongodbgovCloud` is true and no base URL is set. */
export const GOV_BASE_URL = "https://cloud.mongodbgov.com";

/**
 * The Atlas credentials of one authentication method and the base URL to send them to. Exactly one method's fields
 * are set: `accessToken`, or `clientId` and `clientSecret` of a service account, or the API key pair.
 */
export interface AtlasCredentials {
  /** http or https URL without a trailing slash, such as `https://cloud.mongodb.com`. */
  baseUrl: string;
  accessToken?: string;
  clientId?: string;
  clientSecret?: string;
  publicKey?: string;
  privateKey?: string;
}

/** Read access to stack configuration by fully qualified key, such as `mongodbatlas:publicKey`. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Name of one credential setting, as its stack config key without the `mongodbatlas:` namespace. */
export type CredentialName = "accessToken" | "clientId" | "clientSecret" | "publicKey" | "privateKey";

/** Source of credentials: stack config or environment variables. */
export type CredentialSource = "config" | "environment";

/**
 * Sentences for messages about the credentials: when a change of credentials in stack config reaches `pulumi
 * refresh` and `pulumi destroy`, which run the provider with the stack config stored in the state by the last
 * `pulumi up`.
 */
export const CONFIG_CHANGE_NOTE =
  "`pulumi refresh` and `pulumi destroy` use the stack config recorded by the last `pulumi up` unless run with " +
  "`--run-program`, so after setting or changing keys in config, run `pulumi up` (or `pulumi refresh " +
  "--run-program`) first. Environment variables take effect at once.";

/** Names the base URL setting in messages when the caller does not say which of the two it read. */
const BASE_URL_SETTINGS = "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL";

/** Names of one credential setting and the command that sets it. Messages name the first environment variable. */
interface CredentialSetting {
  label: string;
  key: string;
  env: readonly string[];
  command: string;
}

const CREDENTIAL_SETTINGS: Record<CredentialName, CredentialSetting> = {
  accessToken: {
    label: "access token",
    key: "mongodbatlas:accessToken",
    env: ["MONGODB_ATLAS_ACCESS_TOKEN"],
    command: "pulumi config set --secret mongodbatlas:accessToken <access token>",
  },
  clientId: {
    label: "service account client id",
    key: "mongodbatlas:clientId",
    env: ["MONGODB_ATLAS_CLIENT_ID"],
    command: "pulumi config set mongodbatlas:clientId <client id>",
  },
  clientSecret: {
    label: "service account client secret",
    key: "mongodbatlas:clientSecret",
    env: ["MONGODB_ATLAS_CLIENT_SECRET"],
    command: "pulumi config set --secret mongodbatlas:clientSecret <client secret>",
  },
  publicKey: {
    label: "API public key",
    key: "mongodbatlas:publicKey",
    env: ["MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PUBLIC_API_KEY"],
    command: "pulumi config set --secret mongodbatlas:publicKey <public key>",
  },
  privateKey: {
    label: "API private key",
    key: "mongodbatlas:privateKey",
    env: ["MONGODB_ATLAS_PRIVATE_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY"],
    command: "pulumi config set --secret mongodbatlas:privateKey <private key>",
  },
};

/** The authentication methods in order of precedence within one source, each with the settings it needs. */
const AUTH_METHODS: readonly (readonly CredentialName[])[] = [
  ["accessToken"],
  ["clientId", "clientSecret"],
  ["publicKey", "privateKey"],
];

/**
 * Error for missing Atlas credentials: none set at all, or a method with a setting unset and no complete method in
 * the same source. The message names the settings and how to set them, never values.
 */
export class MissingCredentialsError extends Error {
  /** The unset settings of the incomplete method; empty when no credential is set at all. */
  readonly missing: readonly CredentialName[];
  /** The source that sets part of a method, or undefined when the caller passed the settings directly. */
  readonly source: CredentialSource | undefined;

  /**
   * Builds the message from `missing`. With `source`, the message states that the other source is not read; without
   * it, both ways to set each missing setting are named. An empty `missing` lists every method.
   */
  constructor(missing: readonly CredentialName[], source?: CredentialSource) {
    super(missingCredentialsMessage(missing, source));
    this.name = "MissingCredentialsError";
    this.missing = missing;
    this.source = source;
  }
}

function missingCredentialsMessage(missing: readonly CredentialName[], source: CredentialSource | undefined): string {
  if (missing.length === 0) {
    const ways = AUTH_METHODS.map((names) => {
      const commands = names.map((name) => `\`${CREDENTIAL_SETTINGS[name].command}\``).join(" and ");
      const envNames = names.map((name) => CREDENTIAL_SETTINGS[name].env[0]).join(" and ");
      return `${commands} (environment: ${envNames})`;
    });
    return (
      `Missing Atlas credentials. Set an access token with ${ways[0]}, a service account with ${ways[1]}, ` +
      `or an API key pair with ${ways[2]}. ${CONFIG_CHANGE_NOTE}`
    );
  }

  const settings = missing.map((name) => CREDENTIAL_SETTINGS[name]);
  const labels = settings.map((setting) => setting.label).join(" and ");
  const pronoun = missing.length > 1 ? "them" : "it";
  const commands = settings.map((setting) => `\`${setting.command}\``).join(" and ");
  const envNames = settings.map((setting) => setting.env[0]).join(" and ");
  const variables = missing.length > 1 ? "environment variables" : "environment variable";
  if (source === "config") {
    return (
      `Missing the Atlas ${labels} in stack config. Set ${pronoun} with ${commands}. Stack config sets part of ` +
      `this method, so no credential is read from environment variables. ${CONFIG_CHANGE_NOTE}`
    );
  }
  if (source === "environment") {
    return (
      `Missing the Atlas ${labels}. Set ${pronoun} with the ${variables} ${envNames}, ` +
      `or set the credentials in stack config with ${commands}.`
    );
  }
  return (
    `Missing the Atlas ${labels}. Set ${pronoun} with ${commands}, or with the ${variables} ${envNames}. ` +
    CONFIG_CHANGE_NOTE
  );
}

/**
 * Resolves the Atlas credentials and base URL. Credentials come from one source, never mixed: stack config when it
 * sets any credential setting (`mongodbatlas:accessToken`, `clientId`, `clientSecret`, `publicKey`, `privateKey`),
 * else the environment (`MONGODB_ATLAS_ACCESS_TOKEN`, `MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_CLIENT_SECRET`,
 * `MONGODB_ATLAS_PUBLIC_KEY` or `MONGODB_ATLAS_PUBLIC_API_KEY`, `MONGODB_ATLAS_PRIVATE_KEY` or
 * `MONGODB_ATLAS_PRIVATE_API_KEY`). Within that source the first complete method wins: access token, then service
 * account, then API key pair. The base URL is `mongodbatlas:baseUrl`, else `GOV_BASE_URL` when
 * `mongodbatlas:isMongodbgovCloud` is true, else the same two from the environment (`MONGODB_ATLAS_BASE_URL`,
 * `MONGODB_ATLAS_IS_MONGODBGOV_CLOUD`), else {@link DEFAULT_BASE_URL}. Values are trimmed and empty values count as
 * unset. Throws {@link MissingCredentialsError} when the source has no complete method, and an Error naming the
 * setting and value when the base URL or the government flag is invalid.
 */
export function resolveCredentials(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): AtlasCredentials {
  const fromConfig = readCredentialValues((setting) => firstSet(config?.get(setting.key)));
  const fromEnv = readCredentialValues((setting) => firstSet(...setting.env.map((name) => env[name])));
  const source: CredentialSource | undefined =
    Object.keys(fromConfig).length > 0 ? "config" : Object.keys(fromEnv).length > 0 ? "environment" : undefined;
  if (source === undefined) {
    throw new MissingCredentialsError([]);
  }
  const values = source === "config" ? fromConfig : fromEnv;
  const baseUrl = resolveBaseUrl(config, env);

  const complete = AUTH_METHODS.find((names) => names.every((name) => values[name] !== undefined));
  if (complete === undefined) {
    const partial = AUTH_METHODS.find((names) => names.some((name) => values[name] !== undefined)) ?? [];
    throw new MissingCredentialsError(
      partial.filter((name) => values[name] === undefined),
      source,
    );
  }
  const { accessToken, clientId, clientSecret, publicKey, privateKey } = values;
  if (accessToken !== undefined) {
    return { accessToken, baseUrl };
  }
  if (clientId !== undefined && clientSecret !== undefined) {
    return { clientId, clientSecret, baseUrl };
  }
  return { publicKey, privateKey, baseUrl };
}

/** Reads every credential setting of one source with `read`; unset settings are left out. */
function readCredentialValues(
  read: (setting: CredentialSetting) => string | undefined,
): Partial<Record<CredentialName, string>> {
  const values: Partial<Record<CredentialName, string>> = {};
  for (const name of Object.keys(CREDENTIAL_SETTINGS) as CredentialName[]) {
    const value = read(CREDENTIAL_SETTINGS[name]);
    if (value !== undefined) {
      values[name] = value;
    }
  }
  return values;
}

/**
 * Resolves the base URL: stack config before the environment, and within one source an explicit base URL before the
 * Atlas for Government flag.
 */
function resolveBaseUrl(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): string {
  const sources = [
    { baseUrl: "mongodbatlas:baseUrl", gov: "mongodbatlas:isMongodbgovCloud", read: (key: string) => config?.get(key) },
    { baseUrl: "MONGODB_ATLAS_BASE_URL", gov: "MONGODB_ATLAS_IS_MONGODBGOV_CLOUD", read: (key: string) => env[key] },
  ];
  for (const source of sources) {
    const baseUrl = firstSet(source.read(source.baseUrl));
    if (baseUrl !== undefined) {
      return normalizeBaseUrl(baseUrl, source.baseUrl);
    }
    const gov = firstSet(source.read(source.gov));
    if (gov !== undefined) {
      return parseGovFlag(gov, source.gov) ? GOV_BASE_URL : DEFAULT_BASE_URL;
    }
  }
  return DEFAULT_BASE_URL;
}

function parseGovFlag(value: string, setting: string): boolean {
  const text = value.toLowerCase();
  if (text === "true" || text === "false") {
    return text === "true";
  }
  throw new Error(`Invalid ${setting} "${value}": expected "true" or "false".`);
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
