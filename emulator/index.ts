import { randomBytes, randomUUID } from "node:crypto";
import type { AccessTokenSettings } from "./accessTokens";
import { validateTokenRateLimit } from "./accessTokens";
import { validateRateLimit } from "./rateLimit";
import { EMULATOR_HOST, EmulatorServer } from "./server";
import { newServiceAccount, validateServiceAccount } from "./serviceAccounts";
import { newObjectId, OBJECT_ID_PATTERN } from "./store";
import type { EmulatorOptions, ServiceAccount, TransitionTiming } from "./types";
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

/**
 * Starts an Atlas Admin API emulator on 127.0.0.1. Options left out get random keys, a random service account, a
 * random project id, about one second per lifecycle phase, a 60 s nonce lifetime, 3600 s tokens and a limit of 10
 * tokens per client and minute. Rejects with RangeError for an invalid option and with the listen error when the
 * port is taken.
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
    onRequestLogged: options.onRequestLogged,
  });
  const port = await server.listen(options.port ?? 0);
  return {
    baseUrl: `http://${EMULATOR_HOST}:${port}`,
    port,
    publicKey,
    privateKey,
    projectId,
    clientId: serviceAccounts[0].clientId,
    clientSecret: serviceAccounts[0].clientSecret,
    close: () => server.close(),
  };
}
