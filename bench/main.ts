// Entry point of `npm run bench`: measures the package through the real Pulumi engine against the local Atlas
// emulator, prints the figures, and writes bench/results.json and docs/benchmarks.md. `--quick` measures 1 and 10
// links, the default 1, 10 and 50.
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import type { TransitionTiming } from "../emulator";
import { DEFAULT_TIMING, startEmulator } from "../emulator";
import type { PollSchedule } from "../provider/polling";
import { DEFAULT_POLL_SCHEDULE } from "../provider/polling";
import { REPO_ROOT } from "../tests/e2e/support/pulumiStack";
import type { BenchStack, BenchTarget, LinkRun } from "./engine";
import { closeBenchStack, defaultEngineParallelism, openBenchStack, runLinks } from "./engine";
import { createInstalledSetup, removeInstalledSetup } from "./installedSetup";
import { describeMachine } from "./machine";
import type { ImportFigures } from "./probes";
import { measureProviderStart, runImportProbes, runSerializeProbe } from "./probes";
import { renderConsoleSummary, renderMarkdown } from "./report";
import type { BenchResults } from "./results";
import { modelChange } from "./schedule";

/**
 * Phase durations of the emulator for the timed runs: long enough that the poll schedule shows in the figures. Each
 * wait (2.5 s, 4.5 s) ends half-way between two polls of the default schedule's 1 s steps, the average case for a
 * change at a random time, rather than just before a poll.
 */
const BENCH_TIMING: TransitionTiming = {
  ...DEFAULT_TIMING,
  serviceInitiatingMs: 2500,
  serviceDeletingMs: 2500,
  endpointPendingAcceptanceMs: 2000,
  endpointPendingMs: 2500,
  endpointDeletingMs: 2500,
};

/** Shorter phases for quick mode, which must finish in two minutes; each wait (1.5 s, 2.5 s) still ends half-way. */
const QUICK_TIMING: TransitionTiming = {
  ...DEFAULT_TIMING,
  serviceInitiatingMs: 1500,
  serviceDeletingMs: 1500,
  endpointPendingAcceptanceMs: 1000,
  endpointPendingMs: 1500,
  endpointDeletingMs: 1500,
};

/**
 * Phase durations of the long-wait run, full mode only: a link create of 43.9 s, nearer the minutes Atlas takes, which
 * ends half-way between the default schedule's polls at 41.8 s and 46.0 s.
 */
const LONG_WAIT_TIMING: TransitionTiming = {
  ...BENCH_TIMING,
  endpointPendingAcceptanceMs: 20_000,
  endpointPendingMs: 23_865,
};

/** Phase durations for the installed setup, whose run checks sizes and behaviour rather than time. */
const INSTALLED_TIMING: TransitionTiming = {
  ...DEFAULT_TIMING,
  serviceInitiatingMs: 200,
  serviceDeletingMs: 200,
  endpointPendingAcceptanceMs: 200,
  endpointPendingMs: 200,
  endpointDeletingMs: 200,
};

/** The schedule before the default, modelled next to it: 1 s, each next delay 1.5 times longer, capped at 15 s. */
const MODELLED_ALTERNATIVE: PollSchedule = { initialDelayMs: 1000, multiplier: 1.5, maxDelayMs: 15000 };
const MODELLED_CHANGES_MS = [2000, 4000, 30_000, 120_000, 600_000, 1_800_000];

const PROGRAM_DIR = path.join(REPO_ROOT, "bench", "programs", "links");
const PROJECT_NAME = "links-bench";
const RESULTS_FILE = path.join(REPO_ROOT, "bench", "results.json");
const REPORT_FILE = path.join(REPO_ROOT, "docs", "benchmarks.md");

function progress(message: string): void {
  console.log(`bench: ${message}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describeRun(run: LinkRun): string {
  const parallel = run.parallel === undefined ? "" : ` --parallel ${run.parallel}`;
  return (
    `${run.links} links${parallel}: up ${seconds(run.up.wallMs)}, refresh ${seconds(run.refresh.wallMs)}, ` +
    `destroy ${seconds(run.destroy.wallMs)}`
  );
}

async function importFigures(setupDir: string, variants: string[], runs: number): Promise<ImportFigures[]> {
  const figures: ImportFigures[] = [];
  for (const variant of variants) {
    figures.push(await runImportProbes(setupDir, variant, runs));
  }
  return figures;
}

async function writeFormatted(file: string, text: string, parser: "json" | "markdown"): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  await fs.writeFile(file, await prettier.format(text, { ...options, parser }));
}

/** One stack shape to measure and how many times. */
interface RunPlan {
  links: number;
  parallel?: number;
  repeats: number;
}

/** Measurement plan of each mode; quick mode fits in two minutes on a 2-CPU machine. */
function planOf(quick: boolean): { baselineRuns: number; runs: RunPlan[]; probeRuns: number; longWait: boolean } {
  if (quick) {
    return {
      longWait: false,
      baselineRuns: 2,
      runs: [
        { links: 1, repeats: 1 },
        { links: 10, repeats: 1 },
      ],
      probeRuns: 3,
    };
  }
  return {
    longWait: true,
    baselineRuns: 4,
    runs: [
      { links: 1, repeats: 3 },
      { links: 10, repeats: 2 },
      { links: 50, repeats: 1 },
      { links: 50, parallel: 50, repeats: 1 },
    ],
    probeRuns: 7,
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const plan = planOf(quick);
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  progress(`${quick ? "quick" : "full"} mode: ${[...new Set(plan.runs.map((run) => run.links))].join(", ")} links`);

  const machine = await describeMachine();
  const engineParallelism = await defaultEngineParallelism();
  const timing = quick ? QUICK_TIMING : BENCH_TIMING;
  const emulator = await startEmulator({ timing });
  const target: BenchTarget = { emulator, timing, programDir: PROGRAM_DIR, projectName: PROJECT_NAME };
  let results: BenchResults;
  let bench: BenchStack | undefined;
  try {
    bench = await openBenchStack(target);
    const baselineRuns: LinkRun[] = [];
    for (let run = 0; run < plan.baselineRuns; run++) {
      baselineRuns.push(await runLinks(bench, 1, { noopProviders: true }));
      progress(`no-op providers${run === 0 ? " (warm-up)" : ""}, ${describeRun(baselineRuns[run])}`);
    }
    const runs: LinkRun[] = [];
    for (const { links, parallel, repeats } of plan.runs) {
      for (let repeat = 0; repeat < repeats; repeat++) {
        runs.push(await runLinks(bench, links, { parallel }));
        progress(describeRun(runs[runs.length - 1]));
      }
    }
    await closeBenchStack(bench);
    bench = undefined;
    let longWait: BenchResults["longWait"];
    if (plan.longWait) {
      const longBench = await openBenchStack({ ...target, timing: LONG_WAIT_TIMING });
      try {
        longWait = { emulatorTiming: LONG_WAIT_TIMING, run: await runLinks(longBench, 1) };
      } finally {
        await closeBenchStack(longBench);
      }
      progress(`long wait, ${describeRun(longWait.run)}`);
    }
    const providerStartMs: number[] = [];
    for (let run = 0; run < plan.probeRuns; run++) {
      providerStartMs.push(await measureProviderStart(PROGRAM_DIR));
    }

    const setup = await createInstalledSetup();
    progress(`installed the packed package in ${setup.dir} in ${seconds(setup.installMs)}`);
    try {
      const installedBench = await openBenchStack({ ...target, timing: INSTALLED_TIMING, programDir: setup.dir });
      let installedRun: LinkRun;
      try {
        installedRun = await runLinks(installedBench, 1);
      } finally {
        await closeBenchStack(installedBench);
      }
      progress(`installed setup, ${describeRun(installedRun)}`);
      const installedSerialization = await runSerializeProbe(setup.dir);
      const installedImports = await importFigures(setup.dir, ["sdk"], plan.probeRuns);
      const repoSerialization = await runSerializeProbe(PROGRAM_DIR);
      const repoImports = await importFigures(
        PROGRAM_DIR,
        ["sdk", "pulumi", "aws-then-sdk", "provider"],
        plan.probeRuns,
      );
      progress("measured serialization and import times");

      results = {
        mode: quick ? "quick" : "full",
        command: quick ? "npm run bench -- --quick" : "npm run bench",
        startedAt: startedAt.toISOString(),
        totalMs: 0,
        machine,
        loadAverage: { start: loadAtStart, end: [] },
        engineParallelism,
        emulatorTiming: timing,
        pollSchedule: DEFAULT_POLL_SCHEDULE,
        baselineRuns,
        runs,
        longWait,
        providerStartMs,
        installed: {
          setup: { tarballBytes: setup.tarballBytes, installMs: setup.installMs },
          emulatorTiming: INSTALLED_TIMING,
          run: installedRun,
          serialization: installedSerialization,
          imports: installedImports,
        },
        inRepository: { serialization: repoSerialization, imports: repoImports },
        scheduleModels: [
          { name: "default", schedule: DEFAULT_POLL_SCHEDULE },
          { name: "previous (x1.5)", schedule: MODELLED_ALTERNATIVE },
        ].map(({ name, schedule }) => ({
          name,
          schedule,
          changes: MODELLED_CHANGES_MS.map((changeMs) => modelChange(schedule, changeMs)),
        })),
      };
    } finally {
      await removeInstalledSetup(setup);
    }
  } finally {
    if (bench !== undefined) {
      await closeBenchStack(bench);
    }
    await emulator.close();
  }

  results.totalMs = Date.now() - startedAt.getTime();
  results.loadAverage.end = os.loadavg();
  await writeFormatted(RESULTS_FILE, JSON.stringify(results, null, 2), "json");
  await writeFormatted(REPORT_FILE, renderMarkdown(results), "markdown");
  console.log(renderConsoleSummary(results));
  progress(`wrote ${path.relative(REPO_ROOT, RESULTS_FILE)} and ${path.relative(REPO_ROOT, REPORT_FILE)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
