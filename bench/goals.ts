import type { Command } from "./engine";
import type { ImportFigures, SerializedProviderFigures } from "./probes";
import type { BenchResults, RunGroup } from "./results";
import { baselineWallMs, destroyFloorMs, groupRuns, medianWallMs, upFloorMs } from "./results";
import { modelChange } from "./schedule";
import { median, summarizeWaits } from "./waits";

/** One goal of the benchmark, the figure it is judged by, and whether that figure meets it. */
export interface GoalCheck {
  goal: string;
  figure: string;
  met: boolean;
}

/** The time a command of a 1-link stack takes beyond the emulator's floor and the no-op run, and its parts. */
export interface OverheadBreakdown {
  command: Command;
  /** Median wall time minus the floor and the median time of the same command with no-op providers. */
  addedMs: number;
  /** Median over runs of the summed polling latencies of the waits on the command's critical path. */
  pollingMs: number;
  /** Median time to load the provider code and the Atlas client in that process. */
  providerLoadMs: number;
  /** `addedMs` minus the parts above. */
  restMs: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Returns the group of runs with `links` links at `parallel` (undefined: the engine's default), if any ran. */
export function groupOf(results: BenchResults, links: number, parallel?: number): RunGroup | undefined {
  return groupRuns(results.runs).find((group) => group.links === links && group.parallel === parallel);
}

/** Returns the import figures of `variant`, or undefined. */
export function importOf(figures: ImportFigures[], variant: string): ImportFigures | undefined {
  return figures.find((figure) => figure.variant === variant);
}

/** Returns the floor of `command`: the time the emulator's phases take when every link runs at once. */
export function floorMs(results: BenchResults, command: Command): number {
  const timing = results.emulatorTiming;
  return { up: upFloorMs(timing), refresh: 0, destroy: destroyFloorMs(timing) }[command];
}

/** Returns the median wall time of `command` in `group` minus the emulator's floor and the no-op run. */
export function addedOverFloorMs(results: BenchResults, group: RunGroup, command: Command): number {
  return medianWallMs(group.runs, command) - floorMs(results, command) - baselineWallMs(results, command);
}

/** Splits the time that `command` of a 1-link group adds over the floor and the no-op run into measured parts. */
export function breakdownOf(results: BenchResults, group: RunGroup, command: Command): OverheadBreakdown {
  const pollingPerRun = group.runs.map((run) => {
    const waits =
      command === "up"
        ? [run.waits.serviceCreate, ...run.waits.linkCreate]
        : command === "destroy"
          ? [...run.waits.linkDelete, run.waits.serviceDelete]
          : [];
    return waits.reduce((total, wait) => total + (wait?.latencyMs ?? 0), 0);
  });
  const addedMs = addedOverFloorMs(results, group, command);
  const pollingMs = median(pollingPerRun);
  const providerLoadMs = importOf(results.inRepository.imports, "provider")?.medianMs ?? 0;
  return {
    command,
    addedMs,
    pollingMs,
    providerLoadMs,
    restMs: addedMs - pollingMs - providerLoadMs,
  };
}

/** Expected Atlas requests of one link create and one link delete under the default poll schedule. */
export function expectedLinkRequests(results: BenchResults): { create: number; delete: number } {
  const timing = results.emulatorTiming;
  const createPolls = modelChange(
    results.pollSchedule,
    timing.endpointPendingAcceptanceMs + timing.endpointPendingMs,
  ).polls;
  const deletePolls = modelChange(results.pollSchedule, timing.endpointDeletingMs).polls;
  return { create: 1 + createPolls, delete: 1 + deletePolls };
}

/** Average number per link of the requests of `kinds` in `command`, over every run of the group. */
export function perLink(
  group: RunGroup,
  command: Command,
  kinds: ("linkCreate" | "linkRead" | "linkDelete")[],
  field: "authenticated" | "challenges",
): number {
  const total = group.runs.reduce(
    (sum, run) => sum + kinds.reduce((kindSum, kind) => kindSum + run[command].requests[kind][field], 0),
    0,
  );
  return total / (group.links * group.runs.length);
}

function perResourceBytes(provider: SerializedProviderFigures): number {
  return 2 * provider.bytes;
}

function describeBreakdown(breakdown: OverheadBreakdown): string {
  return (
    `${seconds(breakdown.addedMs)}: polling ${seconds(breakdown.pollingMs)}, provider code load ` +
    `${seconds(breakdown.providerLoadMs)}, rest ${seconds(breakdown.restMs)}`
  );
}

function timeGoals(results: BenchResults): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const single = groupOf(results, 1);
  if (single === undefined) {
    return checks;
  }
  for (const command of ["up", "refresh", "destroy"] as const) {
    const breakdown = breakdownOf(results, single, command);
    checks.push({
      goal: `\`${command}\` of 1 link: under 1 s over the emulator's floor and the no-op run`,
      figure: describeBreakdown(breakdown),
      met: breakdown.addedMs < 1000,
    });
  }

  const largest = Math.max(...results.runs.map((run) => run.links));
  const singleUpMs = medianWallMs(single.runs, "up");
  const variants = [
    { group: groupOf(results, largest), label: `engine default, --parallel ${results.engineParallelism}` },
    ...groupRuns(results.runs)
      .filter((group) => group.links === largest && group.parallel !== undefined)
      .map((group) => ({ group, label: `--parallel ${group.parallel}` })),
  ];
  for (const { group, label } of variants) {
    if (group === undefined || largest <= 1) {
      continue;
    }
    const ratio = medianWallMs(group.runs, "up") / singleUpMs;
    checks.push({
      goal: `\`up\` of ${largest} links under 1.5 times \`up\` of 1 link (${label})`,
      figure: `${ratio.toFixed(2)} times`,
      met: ratio < 1.5,
    });
  }
  return checks;
}

function pollingGoals(results: BenchResults): GoalCheck[] {
  const creates = results.runs.flatMap((run) => run.waits.linkCreate);
  if (creates.length === 0) {
    return [];
  }
  const summary = summarizeWaits(creates);
  const timing = results.emulatorTiming;
  const checks: GoalCheck[] = [
    {
      goal:
        "Polling cost of a link create under 10% of the time the link waited, for a wait of " +
        seconds(timing.endpointPendingAcceptanceMs + timing.endpointPendingMs),
      figure: `median ${percent(summary.medianLatencyShare)}, max ${percent(summary.maxLatencyShare)}`,
      met: summary.maxLatencyShare < 0.1,
    },
  ];
  const longWait = results.longWait;
  const longCreates = longWait?.run.waits.linkCreate ?? [];
  if (longWait !== undefined && longCreates.length > 0) {
    const long = summarizeWaits(longCreates);
    const longTiming = longWait.emulatorTiming;
    checks.push({
      goal:
        "Polling cost of a link create under 10% of the time the link waited, for a wait of " +
        seconds(longTiming.endpointPendingAcceptanceMs + longTiming.endpointPendingMs),
      figure: `${percent(long.maxLatencyShare)} (${seconds(long.maxLatencyMs)})`,
      met: long.maxLatencyShare < 0.1,
    });
  }
  const allCreates = [...creates, ...longCreates];
  const maxLatencyMs = Math.max(...allCreates.map((wait) => wait.latencyMs));
  checks.push({
    goal: `Polling cost never above the poll cap of ${seconds(results.pollSchedule.maxDelayMs)}`,
    figure: `max ${seconds(maxLatencyMs)}`,
    met: maxLatencyMs <= results.pollSchedule.maxDelayMs,
  });
  return checks;
}

function requestGoals(results: BenchResults): GoalCheck[] {
  const groups = groupRuns(results.runs);
  const expected = expectedLinkRequests(results);
  const figures = (values: number[]) => values.map((value) => value.toFixed(2)).join(", ");
  const refresh = groups.map((group) => perLink(group, "refresh", ["linkRead"], "authenticated"));
  const create = groups.map((group) => perLink(group, "up", ["linkCreate", "linkRead"], "authenticated"));
  const remove = groups.map((group) => perLink(group, "destroy", ["linkDelete", "linkRead"], "authenticated"));
  return [
    {
      goal: "One Atlas request per link refresh (digest challenges counted apart)",
      figure: figures(refresh),
      met: refresh.every((count) => count === 1),
    },
    {
      goal: `Requests per link create within the poll schedule (${expected.create}: POST and polls)`,
      figure: figures(create),
      met: create.every((count) => count <= expected.create),
    },
    {
      goal: `Requests per link delete within the poll schedule (${expected.delete}: DELETE and polls)`,
      figure: figures(remove),
      met: remove.every((count) => count <= expected.delete),
    },
  ];
}

function serializationGoals(results: BenchResults): GoalCheck[] {
  const installedProviders = results.installed.serialization.providers;
  const maxBytes = Math.max(...installedProviders.map(perResourceBytes));
  const slowest = Math.max(...installedProviders.map((provider) => provider.firstCallMs));
  const leaks = [...installedProviders, ...results.inRepository.serialization.providers].filter(
    (provider) => provider.containsKey,
  );
  return [
    {
      goal: "Serialized provider under 4 KB per resource (inputs and outputs) when installed",
      figure: `${maxBytes} bytes`,
      met: maxBytes < 4096,
    },
    {
      goal: "Serializing a provider under 50 ms when installed (first call, after the serializer's set-up)",
      figure: `${slowest.toFixed(1)} ms`,
      met: slowest < 50,
    },
    {
      goal: "No key in a serialized provider",
      figure: leaks.length === 0 ? "none found" : `found in ${leaks.map((provider) => provider.type).join(", ")}`,
      met: leaks.length === 0,
    },
  ];
}

function importGoals(results: BenchResults): GoalCheck[] {
  const sdkAlone = importOf(results.inRepository.imports, "sdk");
  if (sdkAlone === undefined) {
    return [];
  }
  const awsModules = Math.max(...sdkAlone.runs.map((run) => run.pulumiAwsModulesLoaded));
  return [
    {
      goal: "Importing the SDK alone under 300 ms",
      figure: `median ${sdkAlone.medianMs.toFixed(0)} ms`,
      met: sdkAlone.medianMs < 300,
    },
    {
      goal: "The SDK never loads @pulumi/aws",
      figure: `${awsModules} @pulumi/aws modules in require.cache`,
      met: awsModules === 0,
    },
  ];
}

/** Checks every goal of the benchmark against the measured figures. */
export function checkGoals(results: BenchResults): GoalCheck[] {
  return [
    ...timeGoals(results),
    ...pollingGoals(results),
    ...requestGoals(results),
    ...serializationGoals(results),
    ...importGoals(results),
  ];
}
