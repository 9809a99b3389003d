import { execFile, spawn } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { PULUMI_TOOLS_DIR } from "../tests/e2e/support/pulumiStack";
import { median } from "./waits";

const execFileAsync = promisify(execFile);

/** Figures of one serialized provider, as bench/probes/serializeProbe.ts prints them. */
export interface SerializedProviderFigures {
  type: string;
  bytes: number;
  firstCallMs: number;
  warmMedianMs: number;
  requires: string[];
  /** Functions whose code the text copies, Pulumi's own `() => provider` included. */
  copiedFunctions: number;
  /** Names of the copied functions that have one. */
  functionNames: string[];
  containsKey: boolean;
}

/** Output of bench/probes/serializeProbe.ts. */
export interface SerializeProbeResult {
  /** Time of the first serializer call in the process, on a function without captures: the serializer's set-up. */
  serializerStartMs: number;
  /** The providers the SDK serializes, as the SDK serialized them. */
  providers: SerializedProviderFigures[];
  /** A `PrivateEndpointInterfaceLinkProvider` instance, which the SDK serialized before it used the lazy modules. */
  classInstance: SerializedProviderFigures;
}

/** One run of bench/probes/importProbe.ts. */
export interface ImportProbeRun {
  variant: string;
  requireMs: number;
  modulesLoaded: number;
  packageModulesLoaded: number;
  pulumiAwsModulesLoaded: number;
  urllibModulesLoaded: number;
}

/** Runs of one import variant and their median. */
export interface ImportFigures {
  variant: string;
  runs: ImportProbeRun[];
  medianMs: number;
}

/** Runs a probe script of dist/bench/probes in a fresh Node.js process in `setupDir` and parses its JSON output. */
async function runProbe<T>(script: string, setupDir: string, args: string[]): Promise<T> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("MONGODB_ATLAS_") && !key.startsWith("PULUMI_")) {
      env[key] = value;
    }
  }
  const { stdout } = await execFileAsync(
    process.execPath,
    [path.join(__dirname, "probes", script), setupDir, ...args],
    {
      cwd: setupDir,
      env,
    },
  );
  return JSON.parse(stdout) as T;
}

/** Measures the serialized providers of the package as a program in `setupDir` loads it. */
export function runSerializeProbe(setupDir: string): Promise<SerializeProbeResult> {
  return runProbe<SerializeProbeResult>("serializeProbe.js", setupDir, []);
}

/** Times the require() of `variant` in `runs` fresh processes, one after another, in `setupDir`. */
export async function runImportProbes(setupDir: string, variant: string, runs: number): Promise<ImportFigures> {
  const results: ImportProbeRun[] = [];
  for (let run = 0; run < runs; run++) {
    results.push(await runProbe<ImportProbeRun>("importProbe.js", setupDir, [variant]));
  }
  return { variant, runs: results, medianMs: median(results.map((result) => result.requireMs)) };
}

/** Limit on the start of the dynamic provider plugin, past which {@link measureProviderStart} gives up. */
const PROVIDER_START_LIMIT_MS = 30_000;

/**
 * Starts Pulumi's dynamic provider plugin (`pulumi-resource-pulumi-nodejs`) in `programDir`, returns the milliseconds
 * until it prints its port (the point where the engine can call it), and stops it. The engine address it gets is a
 * placeholder on 127.0.0.1, which the plugin does not contact while it starts. Rejects when the plugin exits first or
 * prints nothing within 30 s.
 */
export function measureProviderStart(programDir: string): Promise<number> {
  const start = process.hrtime.bigint();
  // The plugin is a shell script that starts node as its child, so it runs in its own process group, stopped as one.
  const child = spawn(path.join(PULUMI_TOOLS_DIR, "pulumi-resource-pulumi-nodejs"), ["127.0.0.1:1"], {
    cwd: programDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const stop = () => {
      if (child.pid !== undefined && child.exitCode === null) {
        process.kill(-child.pid, "SIGTERM");
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(`pulumi-resource-pulumi-nodejs printed no port within ${PROVIDER_START_LIMIT_MS} ms: ${stderr}`),
      );
    }, PROVIDER_START_LIMIT_MS);
    child.stdout.once("data", () => {
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      child.once("close", () => resolve(elapsedMs));
      stop();
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code) => {
      if (child.stdout.readableLength === 0 && code !== null && code !== 0) {
        clearTimeout(timer);
        reject(new Error(`pulumi-resource-pulumi-nodejs exited with ${code}: ${stderr}`));
      }
    });
  });
}
