import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_TOKEN_RATE_LIMIT, startEmulator } from "./index";
import type { EmulatorOptions, RunningEmulator, TransitionTiming } from "./index";

const USAGE = `Usage: node dist/emulator/main.js [options]

Starts a local MongoDB Atlas Admin API emulator (AWS PrivateLink routes) on 127.0.0.1.

Options:
  --port N                              TCP port; 0 (default) picks a free port
  --https-cert PATH                     PEM certificate chain; with --https-key, also serve HTTPS on a second port
  --https-key PATH                      PEM private key of --https-cert
  --https-port N                        TCP port of the HTTPS listener; 0 (default) picks a free port
  --public-key KEY                      public key accepted as digest user name (default: random)
  --private-key KEY                     private key accepted as digest password (default: random)
  --project-id ID                       id of the initial project, 24 lowercase hex (default: random)
  --client-id ID                        service account client id for /api/oauth/token (default: random)
  --client-secret SECRET                service account client secret (default: random)
  --token-lifetime-ms MS                access token lifetime (default 3600000)
  --token-rate-limit N                  tokens per client and window; 0 turns the limit off (default 10)
  --token-rate-window-ms MS             window of --token-rate-limit (default 60000)
  --max-active-tokens N                 active tokens per client; 0 turns the limit off (default 100)
  --service-initiating-ms MS            time a new service stays INITIATING (default 1000)
  --service-deleting-ms MS              time a deleted service stays DELETING (default 1000)
  --endpoint-none-ms MS                 time a legacy-created endpoint stays NONE (default 0)
  --endpoint-pending-acceptance-ms MS   time a new endpoint stays PENDING_ACCEPTANCE (default 1000)
  --endpoint-pending-ms MS              time an endpoint stays PENDING (default 1000)
  --endpoint-deleting-ms MS             time a deleted endpoint stays DELETING (default 1000)
  --nonce-lifetime-ms MS                digest nonce lifetime (default 60000)
  --rate-limit RPS                      global limit in requests per second (default: none)
  --rate-limit-burst N                  token bucket size for --rate-limit (default: RPS rounded up)
  --remove-service-with-last-endpoint   delete a service once its last interface endpoint is gone
  --ready-file PATH                     write {baseUrl, httpsBaseUrl, publicKey, privateKey, clientId, clientSecret,
                                        projectId, pid} as JSON once listening; httpsBaseUrl only with --https-cert
  --quiet                               do not log each request
  --help                                print this help
`;

const TIMING_FLAGS: Record<string, keyof TransitionTiming> = {
  "service-initiating-ms": "serviceInitiatingMs",
  "service-deleting-ms": "serviceDeletingMs",
  "endpoint-none-ms": "endpointNoneMs",
  "endpoint-pending-acceptance-ms": "endpointPendingAcceptanceMs",
  "endpoint-pending-ms": "endpointPendingMs",
  "endpoint-deleting-ms": "endpointDeletingMs",
};

class UsageError extends Error {}

function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(`--${flag} must be a non-negative number, got "${value}".`);
  }
  return parsed;
}

function parseOptions(argv: string[]): { options: EmulatorOptions; readyFile?: string; quiet: boolean } | "help" {
  const stringFlags = [
    "port",
    "https-cert",
    "https-key",
    "https-port",
    "public-key",
    "private-key",
    "project-id",
    "client-id",
    "client-secret",
    "token-lifetime-ms",
    "token-rate-limit",
    "token-rate-window-ms",
    "max-active-tokens",
    "nonce-lifetime-ms",
    "rate-limit",
    "rate-limit-burst",
    "ready-file",
    ...Object.keys(TIMING_FLAGS),
  ];
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...Object.fromEntries(stringFlags.map((flag) => [flag, { type: "string" as const }])),
      "remove-service-with-last-endpoint": { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    return "help";
  }
  const flags = values as Record<string, string | boolean | undefined>;
  const text = (flag: string): string | undefined => flags[flag] as string | undefined;

  const timing: Partial<TransitionTiming> = {};
  for (const [flag, field] of Object.entries(TIMING_FLAGS)) {
    const value = parseNumber(flag, text(flag));
    if (value !== undefined) {
      timing[field] = value;
    }
  }
  const rate = parseNumber("rate-limit", text("rate-limit"));
  const burst = parseNumber("rate-limit-burst", text("rate-limit-burst"));
  if (burst !== undefined && rate === undefined) {
    throw new UsageError("--rate-limit-burst needs --rate-limit.");
  }
  const tokenRate = parseNumber("token-rate-limit", text("token-rate-limit"));
  const tokenWindowMs = parseNumber("token-rate-window-ms", text("token-rate-window-ms"));
  const maxActiveTokens = parseNumber("max-active-tokens", text("max-active-tokens"));
  const clientId = text("client-id");
  const clientSecret = text("client-secret");
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new UsageError("--client-id and --client-secret must be given together.");
  }
  const port = parseNumber("port", text("port"));
  if (port !== undefined && (!Number.isInteger(port) || port > 65535)) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got ${port}.`);
  }
  const options: EmulatorOptions = {
    port,
    https: httpsOption(text("https-cert"), text("https-key"), parseNumber("https-port", text("https-port"))),
    publicKey: text("public-key"),
    privateKey: text("private-key"),
    projectId: text("project-id"),
    timing,
    nonceLifetimeMs: parseNumber("nonce-lifetime-ms", text("nonce-lifetime-ms")),
    rateLimit: rate === undefined ? null : { requestsPerSecond: rate, burst },
    serviceAccounts: clientId === undefined || clientSecret === undefined ? undefined : [{ clientId, clientSecret }],
    tokenLifetimeMs: parseNumber("token-lifetime-ms", text("token-lifetime-ms")),
    tokenRateLimit: tokenRateLimitOption(tokenRate, tokenWindowMs),
    maxActiveTokens: maxActiveTokens === 0 ? null : maxActiveTokens,
    removeServiceWithLastEndpoint: values["remove-service-with-last-endpoint"] === true,
  };
  return { options, readyFile: text("ready-file"), quiet: values.quiet === true };
}

/** Builds the https option from the certificate and key files, or returns undefined when neither flag is given. */
function httpsOption(
  certPath: string | undefined,
  keyPath: string | undefined,
  port: number | undefined,
): EmulatorOptions["https"] {
  if (certPath === undefined && keyPath === undefined) {
    if (port !== undefined) {
      throw new UsageError("--https-port needs --https-cert and --https-key.");
    }
    return undefined;
  }
  if (certPath === undefined || keyPath === undefined) {
    throw new UsageError("--https-cert and --https-key must be given together.");
  }
  if (port !== undefined && (!Number.isInteger(port) || port > 65535)) {
    throw new UsageError(`--https-port must be an integer from 0 to 65535, got ${port}.`);
  }
  return { cert: readPemFile("https-cert", certPath), key: readPemFile("https-key", keyPath), port };
}

function readPemFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`--${flag} file ${path} cannot be read: ${reason}.`);
  }
}

/** Builds the tokenRateLimit option: undefined keeps the default, a limit of 0 turns the limit off. */
function tokenRateLimitOption(
  limit: number | undefined,
  windowMs: number | undefined,
): EmulatorOptions["tokenRateLimit"] {
  if (limit === 0) {
    return null;
  }
  if (limit === undefined && windowMs === undefined) {
    return undefined;
  }
  return { limit: limit ?? DEFAULT_TOKEN_RATE_LIMIT.limit, windowMs };
}

/** Writes the ready file through a temporary file, so a reader never sees it half written. */
function writeReadyFile(path: string, emulator: RunningEmulator): void {
  const content = {
    baseUrl: emulator.baseUrl,
    httpsBaseUrl: emulator.httpsBaseUrl,
    publicKey: emulator.publicKey,
    privateKey: emulator.privateKey,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    projectId: emulator.projectId,
    pid: process.pid,
  };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(temporary, path);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const { options, readyFile, quiet } = parsed;
  if (!quiet) {
    options.onRequestLogged = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    process.stderr.write(`Failed to start the emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.stdout.write(
    [
      `Atlas Admin API emulator listening on ${emulator.baseUrl}`,
      ...(emulator.httpsBaseUrl === undefined ? [] : [`HTTPS listening on ${emulator.httpsBaseUrl}`]),
      `Project id: ${emulator.projectId}`,
      `Public key (digest user name): ${emulator.publicKey}`,
      `Private key (digest password): ${emulator.privateKey}`,
      `Service account client id: ${emulator.clientId}`,
      `Service account client secret: ${emulator.clientSecret}`,
      `Control interface: ${emulator.baseUrl}/__emulator/`,
      "",
    ].join("\n"),
  );
  if (readyFile !== undefined) {
    writeReadyFile(readyFile, emulator);
    process.stdout.write(`Ready file written: ${readyFile}\n`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stdout.write(`Received ${signal} again; exiting now.\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`Received ${signal}; stopping the emulator.\n`);
    emulator
      .close()
      .then(() => {
        if (readyFile !== undefined) {
          rmSync(readyFile, { force: true });
        }
        process.stdout.write("Emulator stopped.\n");
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`Failed to stop the emulator cleanly: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
