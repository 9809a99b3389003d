import type { TransitionTiming } from "../emulator";
import type { PollSchedule } from "../provider/polling";
import type { Command, LinkRun } from "./engine";
import type { InstalledSetup } from "./installedSetup";
import type { MachineInfo } from "./machine";
import type { ImportFigures, SerializeProbeResult } from "./probes";
import type { ScheduleModel } from "./schedule";
import { median } from "./waits";

/** Everything one benchmark run measured, as bench/results.json stores it. Times are in milliseconds. */
export interface BenchResults {
  mode: "quick" | "full";
  /** The command that produced these results. */
  command: string;
  /** ISO 8601 start time. */
  startedAt: string;
  totalMs: number;
  machine: MachineInfo;
  /** `os.loadavg()` (1, 5 and 15 minutes) when the run started and when it ended. */
  loadAverage: { start: number[]; end: number[] };
  /** Default of `pulumi up --parallel` on this machine. */
  engineParallelism: number;
  emulatorTiming: TransitionTiming;
  pollSchedule: PollSchedule;
  /**
   * Runs of the program with 1 link and no-op providers: the engine's and Pulumi's dynamic provider process's time
   * for each command. The first run warms up.
   */
  baselineRuns: LinkRun[];
  /** Every run of the program with links, in the order they ran. */
  runs: LinkRun[];
  /** Full mode only: one run of 1 link whose create waits for `emulatorTiming`, far longer than in `runs`. */
  longWait?: { emulatorTiming: TransitionTiming; run: LinkRun };
  /** Milliseconds until Pulumi's dynamic provider process accepts calls, one figure per start. */
  providerStartMs: number[];
  installed: {
    setup: Omit<InstalledSetup, "dir">;
    /** Emulator phase durations for this run, short because it checks size and behaviour, not time. */
    emulatorTiming: TransitionTiming;
    run: LinkRun;
    serialization: SerializeProbeResult;
    imports: ImportFigures[];
  };
  inRepository: {
    serialization: SerializeProbeResult;
    /** The variants `sdk`, `pulumi`, `aws-then-sdk` and `provider` of bench/probes/importProbe.ts. */
    imports: ImportFigures[];
  };
  /** Polls and latencies that the poll schedules imply, computed rather than measured. */
  scheduleModels: { name: string; schedule: PollSchedule; changes: ScheduleModel[] }[];
}

/** Time the emulator needs for `up`: the service's INITIATING phase, then a link's two pending phases. */
export function upFloorMs(timing: TransitionTiming): number {
  return timing.serviceInitiatingMs + timing.endpointPendingAcceptanceMs + timing.endpointPendingMs;
}

/** Time the emulator needs for `destroy`: a link's DELETING phase, then the service's. */
export function destroyFloorMs(timing: TransitionTiming): number {
  return timing.endpointDeletingMs + timing.serviceDeletingMs;
}

/** Like {@link upFloorMs} when the engine runs at most `parallel` link creates at once. */
export function upFloorAtParallelMs(timing: TransitionTiming, links: number, parallel: number): number {
  const waves = Math.ceil(links / parallel);
  return timing.serviceInitiatingMs + waves * (timing.endpointPendingAcceptanceMs + timing.endpointPendingMs);
}

/** Like {@link destroyFloorMs} when the engine runs at most `parallel` link deletes at once. */
export function destroyFloorAtParallelMs(timing: TransitionTiming, links: number, parallel: number): number {
  return Math.ceil(links / parallel) * timing.endpointDeletingMs + timing.serviceDeletingMs;
}

/** The runs of one stack shape: the same number of links at the same `--parallel`. */
export interface RunGroup {
  links: number;
  parallel: number | undefined;
  runs: LinkRun[];
}

/** Groups the runs by number of links and `--parallel`, in the order each shape first ran. */
export function groupRuns(runs: LinkRun[]): RunGroup[] {
  const groups: RunGroup[] = [];
  for (const run of runs) {
    const group = groups.find((candidate) => candidate.links === run.links && candidate.parallel === run.parallel);
    if (group === undefined) {
      groups.push({ links: run.links, parallel: run.parallel, runs: [run] });
    } else {
      group.runs.push(run);
    }
  }
  return groups;
}

/** Median wall time of `command` over `runs`. */
export function medianWallMs(runs: LinkRun[], command: Command): number {
  return median(runs.map((run) => run[command].wallMs));
}

/** Median wall time of `command` for the program with no-op providers, leaving out the warm-up run. */
export function baselineWallMs(results: BenchResults, command: Command): number {
  const measured = results.baselineRuns.length > 1 ? results.baselineRuns.slice(1) : results.baselineRuns;
  return medianWallMs(measured, command);
}
