import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator, TransitionTiming } from "../emulator";
import { EmulatorControl } from "../tests/e2e/support/emulatorControl";
import { assertNoKeyLeaked } from "../tests/e2e/support/keyAudit";
import { PULUMI_TOOLS_DIR, PulumiStack } from "../tests/e2e/support/pulumiStack";
import type { StateResource } from "../tests/e2e/support/pulumiStack";
import type { LoggedRequest, RequestCounts } from "./requestLog";
import { arrivalMs, countRequests, fetchRequestLog, requestKind } from "./requestLog";
import type { ObservedWait } from "./waits";
import { linkCreateWaits, linkDeleteWaits, serviceWait } from "./waits";

/** The Pulumi commands the benchmark times. */
export type Command = "up" | "refresh" | "destroy";

/** Wall time of one CLI command and the emulator's request log during it. */
export interface CommandRun {
  command: Command;
  /** Milliseconds since the epoch just before the CLI started and just after it exited. */
  startedMs: number;
  endedMs: number;
  wallMs: number;
  requests: RequestCounts;
  /** From the start to the arrival of the first Atlas request: engine, program and provider process start-up. */
  toFirstRequestMs: number;
  /** From the end of the last Atlas request to the exit of the CLI. */
  afterLastRequestMs: number;
}

/** Sizes in bytes of the serialized provider (`__provider`) of one resource in the exported state. */
export interface ProviderSize {
  type: string;
  inputsBytes: number;
  outputsBytes: number;
}

/** Everything measured for one stack of `links` links: the three commands, their requests and the waits. */
export interface LinkRun {
  links: number;
  /** True when the program declared no-op dynamic resources instead of the package's. */
  noopProviders: boolean;
  /** Value of `--parallel`, or undefined for the engine's default. */
  parallel: number | undefined;
  up: CommandRun;
  refresh: CommandRun;
  destroy: CommandRun;
  waits: {
    serviceCreate?: ObservedWait;
    linkCreate: ObservedWait[];
    linkDelete: ObservedWait[];
    serviceDelete?: ObservedWait;
  };
  /** Milliseconds from the endpoint service's ready poll to the first link POST, in `up`. */
  serviceToLinkMs?: number;
  providerSizes: ProviderSize[];
  /** Size of `pulumi stack export` after `up`, in bytes. */
  stateBytes: number;
}

/** A program and an emulator to run it against. */
export interface BenchTarget {
  emulator: RunningEmulator;
  timing: TransitionTiming;
  /** Folder with the program's Pulumi.yaml. */
  programDir: string;
  /** Project name in Pulumi.yaml, the namespace of the program's config keys. */
  projectName: string;
}

const execFileAsync = promisify(execFile);

/** Reads the default of `--parallel` from `pulumi up --help`, which the CLI derives from the CPU count. */
export async function defaultEngineParallelism(): Promise<number> {
  const { stdout } = await execFileAsync(path.join(PULUMI_TOOLS_DIR, "pulumi"), ["up", "--help"], {
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  const match = /--parallel int32 .*\(default (\d+)\)/.exec(stdout);
  if (match === null) {
    throw new Error(
      `The output of pulumi up --help names no default for --parallel; check the CLI in ${PULUMI_TOOLS_DIR}`,
    );
  }
  return Number(match[1]);
}

/** A stack of the benchmark program in a temporary backend, configured for one emulator. */
export interface BenchStack {
  target: BenchTarget;
  stack: PulumiStack;
  control: EmulatorControl;
}

/** Creates a stack of the target's program and sets the emulator's base URL, project id and keys in its config. */
export async function openBenchStack(target: BenchTarget): Promise<BenchStack> {
  const { emulator } = target;
  const stack = await PulumiStack.create({
    programDir: target.programDir,
    config: {
      "mongodbatlas:baseUrl": emulator.baseUrl,
      [`${target.projectName}:projectId`]: emulator.projectId,
    },
    secretConfig: { "mongodbatlas:publicKey": emulator.publicKey, "mongodbatlas:privateKey": emulator.privateKey },
  });
  return { target, stack, control: new EmulatorControl(emulator.baseUrl) };
}

/** Destroys whatever the stack still holds, removes it and its temporary folder. */
export async function closeBenchStack(bench: BenchStack): Promise<void> {
  await bench.stack.destroy({ allowFailure: true });
  await bench.stack.dispose();
}

/** Options of {@link runLinks}. */
export interface RunOptions {
  /** Value of `--parallel`; the engine's default when undefined. */
  parallel?: number;
  /** Declares no-op dynamic resources of the same shape instead of the package's resources. */
  noopProviders?: boolean;
}

/**
 * Resets the emulator, sets the stack to `links` links and runs `pulumi up`, `refresh` and `destroy`. Rejects when a
 * command fails, when `up` leaves a link that is not AVAILABLE, when a key appears in the CLI output, the state or the
 * request log, or when `destroy` leaves an object in the emulator.
 */
export async function runLinks(bench: BenchStack, links: number, options: RunOptions = {}): Promise<LinkRun> {
  const { target, stack, control } = bench;
  const { emulator, timing } = target;
  const { parallel } = options;
  const noopProviders = options.noopProviders ?? false;
  await control.reset();
  await control.setTiming({ ...timing });
  await stack.setConfig(`${target.projectName}:linkCount`, String(links));
  await stack.setConfig(`${target.projectName}:noopProviders`, String(noopProviders));

  const up = await timeCommand(stack, control, emulator.baseUrl, "up", parallel);
  const outputs = await stack.outputs();
  if (outputs.availableLinks !== links) {
    throw new Error(`pulumi up finished with ${String(outputs.availableLinks)} of ${links} links AVAILABLE`);
  }
  const exported = await stack.exportState();
  const providerSizes = providerSizesOf(JSON.parse(exported) as { deployment: { resources?: StateResource[] } });
  const refresh = await timeCommand(stack, control, emulator.baseUrl, "refresh", parallel);
  if (links > 0) {
    await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
  }
  const destroy = await timeCommand(stack, control, emulator.baseUrl, "destroy", parallel);
  const left = await control.state();
  if (left.services.length > 0 || left.endpoints.length > 0) {
    throw new Error(`pulumi destroy left ${left.services.length} services and ${left.endpoints.length} links`);
  }

  const linkReadyMs = timing.endpointPendingAcceptanceMs + timing.endpointPendingMs;
  const serviceCreate = serviceWait(up.log, "serviceCreate", timing.serviceInitiatingMs);
  const firstLinkPost = up.log.find((entry) => entry.auth === "ok" && requestKind(entry) === "linkCreate");
  return {
    links,
    noopProviders,
    parallel,
    up: up.run,
    refresh: refresh.run,
    destroy: destroy.run,
    waits: {
      serviceCreate,
      linkCreate: linkCreateWaits(up.log, linkReadyMs),
      linkDelete: linkDeleteWaits(destroy.log, timing.endpointDeletingMs),
      serviceDelete: serviceWait(destroy.log, "serviceDelete", timing.serviceDeletingMs),
    },
    serviceToLinkMs: serviceCreate && firstLinkPost ? arrivalMs(firstLinkPost) - serviceCreate.noticedMs : undefined,
    providerSizes,
    stateBytes: Buffer.byteLength(exported),
  };
}

/** Runs one command with an empty request log and returns its timing and the log. */
async function timeCommand(
  stack: PulumiStack,
  control: EmulatorControl,
  baseUrl: string,
  command: Command,
  parallel: number | undefined,
): Promise<{ run: CommandRun; log: LoggedRequest[] }> {
  await control.clearRequests();
  const args = [command, "--yes", "--skip-preview", "--config-file", stack.configFile];
  if (parallel !== undefined) {
    args.push("--parallel", String(parallel));
  }
  const startedMs = Date.now();
  await stack.run(args);
  const endedMs = Date.now();
  const log = await fetchRequestLog(baseUrl);
  const first = log[0];
  const last = log.at(-1);
  return {
    run: {
      command,
      startedMs,
      endedMs,
      wallMs: endedMs - startedMs,
      requests: countRequests(log),
      toFirstRequestMs: first === undefined ? Number.NaN : arrivalMs(first) - startedMs,
      afterLastRequestMs: last === undefined ? Number.NaN : endedMs - (arrivalMs(last) + last.durationMs),
    },
    log,
  };
}

/** Returns the `__provider` sizes of every dynamic resource in an exported state. */
export function providerSizesOf(exported: { deployment: { resources?: StateResource[] } }): ProviderSize[] {
  return (exported.deployment.resources ?? [])
    .filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic/"))
    .map((resource) => ({
      type: resource.type.slice(resource.type.lastIndexOf(":") + 1),
      inputsBytes: byteLength(resource.inputs?.__provider),
      outputsBytes: byteLength(resource.outputs?.__provider),
    }));
}

function byteLength(value: unknown): number {
  return typeof value === "string" ? Buffer.byteLength(value) : 0;
}
