import { randomBytes, randomUUID } from "node:crypto";
import type { AccessTokenSettings } from "./accessTokens";
import { validateTokenRateLimit } from "./accessTokens";
import { validateRateLimit } from "./rateLimit";
import { EMULATOR_HOST, EmulatorServer } from "./server";
import { newServiceAccount, validateServiceAccount } from "./serviceAccounts";
import { newObjectId, OBJECT_ID_PATTERN } from "./store";
import type { EmulatorOptions, HttpsOptions, ServiceAccount, TransitionTiming } from "./types";
import {
  DEFAULT_MAX_ACTIVE_TOKENS,
  DEFAULT_NONCE_LIFETIME_MS,
  DEFAULT_TIMING,
  DEFAULT_TOKEN_LIFETIME_MS,
  DEFAULT_TOKEN_RATE_LIMIT,
  TIMING_KEYS,
} from "./types";

export type {
  ApiKey,
  EmulatorOptions,
  EndpointServiceBody,
  HttpsOptions,
  InterfaceEndpointBody,
  LegacyInterfaceEndpointBody,
  LegacyPrivateEndpointBody,
  RateLimitConfig,
  ServiceAccount,
  TokenRateLimitConfig,
  TransitionTiming,
} from "./types";
export {
  ATLAS_MEDIA_TYPE,
  DEFAULT_MAX_ACTIVE_TOKENS,
  DEFAULT_NONCE_LIFETIME_MS,
  DEFAULT_TIMING,
  DEFAULT_TOKEN_LIFETIME_MS,
  DEFAULT_TOKEN_RATE_LIMIT,
} from "./types";
export type { AuthScheme, RequestLogEntry } from "./requestLog";

/** A running emulator. Send Atlas API requests to `baseUrl` with the key pair; control routes live under `baseUrl/__emulator/`. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  baseUrl: string;
  port: number;
  /**
   * `https://127.0.0.1:<port>` of the HTTPS listener when the `https` option was given, else undefined. Its
   * certificate names the host it was made for, so a client must send that name as TLS server name.
   */
  httpsBaseUrl?: string;
  /** Port of the HTTPS listener when the `https` option was given, else undefined. */
  httpsPort?: number;
  publicKey: string;
  privateKey: string;
  /** Id of the project that exists at start and after every reset. */
  projectId: string;
  /** Client id of the first service account, for `POST /api/oauth/token`. */
  clientId: string;
  /** Client secret of the first service account. */
  clientSecret: string;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

function resolveTiming(timing: Partial<TransitionTiming> | undefined): TransitionTiming {
  const resolved = { ...DEFAULT_TIMING, ...timing };
  for (const name of TIMING_KEYS) {
    const value = resolved[name];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`Invalid emulator option timing.${name}: ${value}; it must be a non-negative number of ms.`);
    }
  }
  return resolved;
}

function resolveServiceAccounts(accounts: ServiceAccount[] | undefined): ServiceAccount[] {
  if (accounts === undefined) {
    return [newServiceAccount()];
  }
  if (accounts.length === 0) {
    throw new RangeError("Emulator option serviceAccounts must list at least one account.");
  }
  const clientIds = new Set<string>();
  for (const account of accounts) {
    const problem = validateServiceAccount(account);
    if (problem !== undefined) {
      throw new RangeError(`Invalid emulator option serviceAccounts: ${problem}`);
    }
    if (clientIds.has(account.clientId)) {
      throw new RangeError(`Emulator option serviceAccounts lists client id ${account.clientId} twice.`);
    }
    clientIds.add(account.clientId);
  }
  return accounts.map((account) => ({ ...account }));
}

function resolveTokenSettings(options: EmulatorOptions): AccessTokenSettings {
  const lifetimeMs = options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
  if (!(lifetimeMs > 0) || !Number.isFinite(lifetimeMs)) {
    throw new RangeError(`Invalid emulator option tokenLifetimeMs: ${lifetimeMs}; it must be above 0.`);
  }
  const rateLimit =
    options.tokenRateLimit === undefined
      ? { ...DEFAULT_TOKEN_RATE_LIMIT }
      : options.tokenRateLimit === null
        ? null
        : { windowMs: DEFAULT_TOKEN_RATE_LIMIT.windowMs, ...options.tokenRateLimit };
  const rateLimitProblem = rateLimit === null ? undefined : validateTokenRateLimit(rateLimit);
  if (rateLimitProblem !== undefined) {
    throw new RangeError(`Invalid emulator option tokenRateLimit: ${rateLimitProblem}`);
  }
  const maxActiveTokens = options.maxActiveTokens === undefined ? DEFAULT_MAX_ACTIVE_TOKENS : options.maxActiveTokens;
  if (maxActiveTokens !== null && (!Number.isInteger(maxActiveTokens) || maxActiveTokens < 1)) {
    throw new RangeError(`Invalid emulator option maxActiveTokens: ${maxActiveTokens}; it must be a positive integer.`);
  }
  return { lifetimeMs, rateLimit, maxActiveTokens };
}

function validateHttps(https: HttpsOptions | undefined): void {
  if (https === undefined) {
    return;
  }
  if (https.cert.length === 0 || https.key.length === 0) {
    throw new RangeError("Emulator options https.cert and https.key must not be empty.");
  }
  const port = https.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Invalid emulator option https.port: ${port}; it must be an integer from 0 to 65535.`);
  }
}

/**
 * Starts an Atlas Admin API emulator on 127.0.0.1. Options left out get random keys, a random service account, a
 * random project id, about one second per lifecycle phase, a 60 s nonce lifetime, 3600 s tokens and a limit of 10
 * tokens per client and minute. With the `https` option it also serves HTTPS on a second port. Rejects with RangeError
 * for an invalid option, with the TLS error for an unusable certificate or key, and with the listen error when a port
 * is taken.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const projectId = options.projectId ?? newObjectId();
  if (!OBJECT_ID_PATTERN.test(projectId)) {
    throw new RangeError(`Invalid emulator option projectId "${projectId}": it must be 24 lowercase hex characters.`);
  }
  const publicKey = options.publicKey ?? randomBytes(4).toString("hex");
  const privateKey = options.privateKey ?? randomUUID();
  if (publicKey === "" || privateKey === "") {
    throw new RangeError("Emulator options publicKey and privateKey must not be empty.");
  }
  const nonceLifetimeMs = options.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
  if (!(nonceLifetimeMs > 0)) {
    throw new RangeError(`Invalid emulator option nonceLifetimeMs: ${nonceLifetimeMs}; it must be above 0.`);
  }
  const rateLimit = options.rateLimit ?? null;
  const rateLimitProblem = rateLimit === null ? undefined : validateRateLimit(rateLimit);
  if (rateLimitProblem !== undefined) {
    throw new RangeError(`Invalid emulator option rateLimit: ${rateLimitProblem}`);
  }

  validateHttps(options.https);

  const serviceAccounts = resolveServiceAccounts(options.serviceAccounts);
  const server = new EmulatorServer({
    primaryKey: { publicKey, privateKey },
    projectId,
    timing: resolveTiming(options.timing),
    nonceLifetimeMs,
    rateLimit,
    serviceAccounts,
    tokens: resolveTokenSettings(options),
    removeServiceWithLastEndpoint: options.removeServiceWithLastEndpoint ?? false,
    https: options.https === undefined ? undefined : { cert: options.https.cert, key: options.https.key },
    onRequestLogged: options.onRequestLogged,
  });
  const port = await server.listen(options.port ?? 0);
  let httpsPort: number | undefined;
  if (options.https !== undefined) {
    try {
      httpsPort = await server.listenHttps(options.https.port ?? 0);
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  return {
    baseUrl: `http://${EMULATOR_HOST}:${port}`,
    port,
    httpsBaseUrl: httpsPort === undefined ? undefined : `https://${EMULATOR_HOST}:${httpsPort}`,
    httpsPort,
    publicKey,
    privateKey,
    projectId,
    clientId: serviceAccounts[0].clientId,
    clientSecret: serviceAccounts[0].clientSecret,
    close: () => server.close(),
  };
}
