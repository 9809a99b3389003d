import { randomBytes, randomUUID } from "node:crypto";
import { validateRateLimit } from "./rateLimit";
import { EMULATOR_HOST, EmulatorServer } from "./server";
import { newObjectId, OBJECT_ID_PATTERN } from "./store";
import type { EmulatorOptions, TransitionTiming } from "./types";
import { DEFAULT_NONCE_LIFETIME_MS, DEFAULT_TIMING, TIMING_KEYS } from "./types";

export type {
  ApiKey,
  EmulatorOptions,
  EndpointServiceBody,
  InterfaceEndpointBody,
  RateLimitConfig,
  TransitionTiming,
} from "./types";
export { ATLAS_MEDIA_TYPE, DEFAULT_NONCE_LIFETIME_MS, DEFAULT_TIMING } from "./types";
export type { RequestLogEntry } from "./requestLog";

/** A running emulator. Send Atlas API requests to `baseUrl` with the key pair; control routes live under `baseUrl/__emulator/`. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  baseUrl: string;
  port: number;
  publicKey: string;
  privateKey: string;
  /** Id of the project that exists at start and after every reset. */
  projectId: string;
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

/**
 * Starts an Atlas Admin API emulator on 127.0.0.1. Options left out get random keys, a random project id, about
 * one second per lifecycle phase and a 60 s nonce lifetime. Rejects with RangeError for an invalid option and
 * with the listen error when the port is taken.
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

  const server = new EmulatorServer({
    primaryKey: { publicKey, privateKey },
    projectId,
    timing: resolveTiming(options.timing),
    nonceLifetimeMs,
    rateLimit,
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
    close: () => server.close(),
  };
}
