import type { Command, LinkRun } from "./engine";
import {
  addedOverFloorMs,
  breakdownOf,
  checkGoals,
  expectedLinkRequests,
  floorMs,
  groupOf,
  importOf,
  perLink,
} from "./goals";
import { INSTALLED_PULUMI_VERSION } from "./installedSetup";
import type { ImportFigures, SerializedProviderFigures, SerializeProbeResult } from "./probes";
import type { BenchResults, RunGroup } from "./results";
import {
  baselineWallMs,
  destroyFloorAtParallelMs,
  destroyFloorMs,
  groupRuns,
  medianWallMs,
  upFloorAtParallelMs,
  upFloorMs,
} from "./results";
import type { ObservedWait } from "./waits";
import { modelChange } from "./schedule";
import { median, summarizeWaits } from "./waits";

function formatSeconds(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? "–" : `${(ms / 1000).toFixed(2)} s`;
}

function formatDuration(ms: number): string {
  if (ms < 120_000) {
    return formatSeconds(ms);
  }
  return `${(ms / 60_000).toFixed(0)} min`;
}

function formatMs(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

function parallelLabel(group: { parallel: number | undefined }, engineParallelism: number): string {
  return group.parallel === undefined ? `${engineParallelism} (default)` : String(group.parallel);
}

const COMMANDS: Command[] = ["up", "refresh", "destroy"];

function wallTimeTable(results: BenchResults): string {
  const timing = results.emulatorTiming;
  const rows: string[][] = [];
  for (const group of groupRuns(results.runs)) {
    const parallel = group.parallel ?? results.engineParallelism;
    const floorsAtParallel = {
      up: upFloorAtParallelMs(timing, group.links, parallel),
      refresh: 0,
      destroy: destroyFloorAtParallelMs(timing, group.links, parallel),
    };
    for (const command of COMMANDS) {
      const wall = medianWallMs(group.runs, command);
      const floor = floorMs(results, command);
      rows.push([
        String(group.links),
        parallelLabel(group, results.engineParallelism),
        `\`${command}\``,
        formatSeconds(wall),
        group.runs.map((run) => (run[command].wallMs / 1000).toFixed(2)).join(", "),
        formatSeconds(floor),
        floor > 0 ? (wall / floor).toFixed(2) : "–",
        formatSeconds(floorsAtParallel[command]),
        formatSeconds(addedOverFloorMs(results, group, command)),
      ]);
    }
  }
  return table(
    [
      "links",
      "--parallel",
      "command",
      "wall time (median)",
      "runs (s)",
      "floor",
      "wall / floor",
      "floor at that parallelism",
      "over floor and no-op run",
    ],
    rows,
  );
}

function breakdownTable(results: BenchResults): string {
  const single = groupOf(results, 1);
  if (single === undefined) {
    return "";
  }
  const rows = COMMANDS.map((command) => {
    const breakdown = breakdownOf(results, single, command);
    return [
      `\`${command}\``,
      formatSeconds(breakdown.addedMs),
      formatSeconds(breakdown.pollingMs),
      formatSeconds(breakdown.providerLoadMs),
      formatSeconds(breakdown.restMs),
    ];
  });
  return table(["command", "over floor and no-op run", "polling latency", "provider code load", "rest"], rows);
}

function medianOf(runs: LinkRun[], value: (run: LinkRun) => number | undefined): number | undefined {
  const values = runs.map(value).filter((item): item is number => item !== undefined && !Number.isNaN(item));
  return values.length === 0 ? undefined : median(values);
}

function upTimelineTable(results: BenchResults): string {
  const rows = groupRuns(results.runs).map((group) => {
    const linkSpan = (run: LinkRun) => {
      const creates = run.waits.linkCreate;
      return Math.max(...creates.map((wait) => wait.noticedMs)) - Math.min(...creates.map((wait) => wait.requestMs));
    };
    return [
      String(group.links),
      parallelLabel(group, results.engineParallelism),
      formatSeconds(medianOf(group.runs, (run) => run.up.toFirstRequestMs)),
      formatSeconds(medianOf(group.runs, (run) => run.waits.serviceCreate?.waitedMs)),
      formatSeconds(medianOf(group.runs, (run) => run.serviceToLinkMs)),
      formatSeconds(medianOf(group.runs, linkSpan)),
      formatSeconds(medianOf(group.runs, (run) => run.up.afterLastRequestMs)),
      formatSeconds(medianWallMs(group.runs, "up")),
    ];
  });
  const timing = results.emulatorTiming;
  const linkReadyMs = timing.endpointPendingAcceptanceMs + timing.endpointPendingMs;
  return table(
    [
      "links",
      "--parallel",
      "start to first Atlas request",
      `service create (floor ${formatSeconds(timing.serviceInitiatingMs)})`,
      "service ready to first link POST",
      `first link POST to last AVAILABLE seen (floor ${formatSeconds(linkReadyMs)})`,
      "last request to exit",
      "wall time",
    ],
    rows,
  );
}

function waitRow(label: string, group: RunGroup, engineParallelism: number, waits: ObservedWait[], phaseMs: number) {
  if (waits.length === 0) {
    return [];
  }
  const summary = summarizeWaits(waits);
  return [
    [
      String(group.links),
      parallelLabel(group, engineParallelism),
      label,
      String(summary.count),
      formatSeconds(phaseMs),
      formatSeconds(summary.medianLatencyMs),
      formatSeconds(summary.maxLatencyMs),
      percent(summary.medianLatencyShare),
      percent(summary.maxLatencyShare),
      String(summary.medianPolls),
    ],
  ];
}

function pollingTable(results: BenchResults): string {
  const timing = results.emulatorTiming;
  const present = (wait: ObservedWait | undefined): ObservedWait[] => (wait === undefined ? [] : [wait]);
  const rows: string[][] = [];
  for (const group of groupRuns(results.runs)) {
    const engineParallelism = results.engineParallelism;
    const waits = (pick: (run: LinkRun) => ObservedWait[]) => group.runs.flatMap(pick);
    rows.push(
      ...waitRow(
        "service create",
        group,
        engineParallelism,
        waits((run) => present(run.waits.serviceCreate)),
        timing.serviceInitiatingMs,
      ),
      ...waitRow(
        "link create",
        group,
        engineParallelism,
        waits((run) => run.waits.linkCreate),
        timing.endpointPendingAcceptanceMs + timing.endpointPendingMs,
      ),
      ...waitRow(
        "link delete",
        group,
        engineParallelism,
        waits((run) => run.waits.linkDelete),
        timing.endpointDeletingMs,
      ),
      ...waitRow(
        "service delete",
        group,
        engineParallelism,
        waits((run) => present(run.waits.serviceDelete)),
        timing.serviceDeletingMs,
      ),
    );
  }
  const longWait = results.longWait;
  if (longWait !== undefined) {
    const longTiming = longWait.emulatorTiming;
    const group = { links: 1, parallel: longWait.run.parallel, runs: [longWait.run] };
    rows.push(
      ...waitRow(
        "link create (long wait)",
        group,
        results.engineParallelism,
        longWait.run.waits.linkCreate,
        longTiming.endpointPendingAcceptanceMs + longTiming.endpointPendingMs,
      ),
    );
  }
  return table(
    [
      "links",
      "--parallel",
      "wait",
      "count",
      "phase time",
      "median latency",
      "max latency",
      "median share of wait",
      "max share of wait",
      "median polls",
    ],
    rows,
  );
}

function scheduleTable(results: BenchResults): string {
  const [first, second] = results.scheduleModels;
  const rows = first.changes.map((change, index) => {
    const other = second.changes[index];
    return [
      formatDuration(change.changeAfterMs),
      String(change.polls),
      formatSeconds(change.latencyMs),
      formatSeconds(change.worstLatencyMs),
      percent(change.worstLatencyShare),
      String(other.polls),
      formatSeconds(other.latencyMs),
      formatSeconds(other.worstLatencyMs),
      percent(other.worstLatencyShare),
    ];
  });
  return table(
    [
      "change after",
      `${first.name}: polls`,
      "latency",
      "worst latency for a change near this time",
      "worst share",
      `${second.name}: polls`,
      "latency",
      "worst latency",
      "worst share",
    ],
    rows,
  );
}

function requestTable(results: BenchResults): string {
  const rows: string[][] = [];
  const groups = [...groupRuns(results.runs), { links: 1, parallel: undefined, runs: [results.installed.run] }];
  for (const [index, group] of groups.entries()) {
    const installed = index === groups.length - 1;
    for (const command of COMMANDS) {
      const total = (pick: (run: LinkRun) => number) => group.runs.reduce((sum, run) => sum + pick(run), 0);
      const perRun = (pick: (run: LinkRun) => number) => (total(pick) / group.runs.length).toFixed(1);
      const serviceKinds = ["serviceCreate", "serviceRead", "serviceDelete", "serviceList"] as const;
      rows.push([
        `${group.links}${installed ? " (installed setup)" : ""}`,
        parallelLabel(group, results.engineParallelism),
        `\`${command}\``,
        perLink(group, command, ["linkCreate", "linkRead", "linkDelete"], "authenticated").toFixed(2),
        perLink(group, command, ["linkCreate", "linkRead", "linkDelete"], "challenges").toFixed(2),
        perRun((run) => serviceKinds.reduce((sum, kind) => sum + run[command].requests[kind].authenticated, 0)),
        perRun((run) => run[command].requests.serviceList.authenticated),
        perRun((run) => serviceKinds.reduce((sum, kind) => sum + run[command].requests[kind].challenges, 0)),
        String(total((run) => rejectedCredentials(run, command))),
      ]);
    }
  }
  return table(
    [
      "links",
      "--parallel",
      "command",
      "link requests per link",
      "challenges per link",
      "service requests",
      "of them project listings",
      "service challenges",
      "rejected credentials",
    ],
    rows,
  );
}

function describeRequires(requires: string[]): string {
  if (requires.length === 0) {
    return "none";
  }
  return requires.length === 1 ? `\`${requires[0]}\`` : `${requires.length} modules of this package`;
}

function serializationRows(setup: string, probe: SerializeProbeResult, stateRun: LinkRun | undefined): string[][] {
  const row = (provider: SerializedProviderFigures, stateBytes: string) => [
    setup,
    provider.type,
    String(provider.bytes),
    stateBytes,
    formatMs(provider.firstCallMs),
    formatMs(provider.warmMedianMs),
    describeRequires(provider.requires),
    String(provider.copiedFunctions),
  ];
  const rows = probe.providers.map((provider) => {
    const inState = stateRun?.providerSizes.find((size) => size.type === provider.type);
    const stateBytes = inState === undefined ? "–" : String(inState.inputsBytes + inState.outputsBytes);
    return row(provider, stateBytes);
  });
  rows.push(row(probe.classInstance, "–"));
  return rows;
}

function serializationTable(results: BenchResults): string {
  return table(
    [
      "setup",
      "provider",
      "bytes",
      "bytes per resource in the state (inputs and outputs)",
      "first call",
      "warm median",
      "loads with require()",
      "functions copied by value",
    ],
    [
      ...serializationRows("installed from the tarball", results.installed.serialization, results.installed.run),
      ...serializationRows("in the repository", results.inRepository.serialization, groupOf(results, 1)?.runs[0]),
    ],
  );
}

function importRows(setup: string, figures: ImportFigures[]): string[][] {
  const labels: Record<string, string> = {
    sdk: "the package entry point",
    pulumi: "@pulumi/pulumi alone",
    "aws-then-sdk": "the package entry point after @pulumi/aws",
    provider: "the link provider and the Atlas client, after @pulumi/pulumi",
  };
  return figures.map((figure) => [
    setup,
    labels[figure.variant] ?? figure.variant,
    formatMs(figure.medianMs),
    figure.runs.map((run) => run.requireMs.toFixed(0)).join(", "),
    String(Math.max(...figure.runs.map((run) => run.packageModulesLoaded))),
    String(Math.max(...figure.runs.map((run) => run.pulumiAwsModulesLoaded))),
    String(Math.max(...figure.runs.map((run) => run.urllibModulesLoaded))),
  ]);
}

function importTable(results: BenchResults): string {
  return table(
    [
      "setup",
      "require() of",
      "median",
      "runs (ms)",
      "modules of this package loaded",
      "@pulumi/aws modules loaded",
      "urllib modules loaded",
    ],
    [
      ...importRows("in the repository", results.inRepository.imports),
      ...importRows("installed from the tarball", results.installed.imports),
    ],
  );
}

function loads(loadAverage: number[]): string {
  return loadAverage.map((load) => load.toFixed(2)).join(", ");
}

function machineSection(results: BenchResults): string {
  const machine = results.machine;
  return [
    table(
      ["nproc", "CPU", "OS", "Node.js", "npm", "Pulumi CLI", "@pulumi/pulumi", "`--parallel` default"],
      [
        [
          machine.nproc,
          machine.cpuModel,
          machine.os,
          machine.node,
          machine.npm,
          machine.pulumiCli,
          machine.pulumiSdk,
          String(results.engineParallelism),
        ],
      ],
    ),
    "",
    `Load average (1, 5, 15 min) at the start ${loads(results.loadAverage.start)}, at the end ` +
      `${loads(results.loadAverage.end)}. Other work on the machine raises it above what the benchmark itself causes.`,
    "",
    "`free -h`:",
    "",
    "```",
    machine.free,
    "```",
  ].join("\n");
}

function engineSlotsFinding(results: BenchResults): string | undefined {
  const single = groupOf(results, 1);
  const largest = Math.max(...results.runs.map((run) => run.links));
  const many = groupOf(results, largest);
  if (single === undefined || many === undefined || largest <= results.engineParallelism) {
    return undefined;
  }
  const singleUpMs = medianWallMs(single.runs, "up");
  const manyUpMs = medianWallMs(many.runs, "up");
  const parallelNotes = groupRuns(results.runs)
    .filter((group) => group.links === largest && group.parallel !== undefined)
    .map((group) => {
      const upMs = medianWallMs(group.runs, "up");
      return (
        ` With \`--parallel ${group.parallel}\` the same \`up\` took ${formatSeconds(upMs)}, ` +
        `${(upMs / singleUpMs).toFixed(2)} times the 1-link \`up\`.`
      );
    });
  return (
    "- **Links wait for engine slots.** The CLI runs at most `--parallel` resource operations at once, 4 per CPU by " +
    `default (${results.engineParallelism} here), and each link create holds its slot while it polls. ${largest} ` +
    `links therefore run in ${Math.ceil(largest / results.engineParallelism)} rounds, and \`up\` took ` +
    `${formatSeconds(manyUpMs)}, ${(manyUpMs / singleUpMs).toFixed(2)} times the 1-link \`up\`.` +
    `${parallelNotes.join("")} A dynamic provider has no way to raise the limit: the user sets it with ` +
    "`pulumi up --parallel N` or `PULUMI_PARALLEL=N`."
  );
}

function overheadFinding(results: BenchResults): string | undefined {
  const single = groupOf(results, 1);
  if (single === undefined) {
    return undefined;
  }
  const timing = results.emulatorTiming;
  const [current] = results.scheduleModels;
  const waitsOf: Record<"up" | "destroy", { phasesMs: number[]; waits: string }> = {
    up: {
      phasesMs: [timing.serviceInitiatingMs, timing.endpointPendingAcceptanceMs + timing.endpointPendingMs],
      waits: "the service's wait and the link's",
    },
    destroy: {
      phasesMs: [timing.endpointDeletingMs, timing.serviceDeletingMs],
      waits: "the link's wait and the service's",
    },
  };
  const sentences: string[] = [];
  for (const command of ["up", "destroy"] as const) {
    const breakdown = breakdownOf(results, single, command);
    if (breakdown.addedMs < 1000) {
      continue;
    }
    const { phasesMs, waits } = waitsOf[command];
    const modelledLatency = (schedule: BenchResults["pollSchedule"]) =>
      phasesMs.reduce((sum, phaseMs) => sum + modelChange(schedule, phaseMs).latencyMs, 0);
    sentences.push(
      `- **A 1-link \`${command}\` spends ${formatSeconds(breakdown.addedMs)} beyond the floor and the no-op ` +
        `run.** The polling latency is ${formatSeconds(breakdown.pollingMs)} of it (${waits}, each ending ` +
        "half-way between two polls), and loading the provider code in the provider process " +
        `${formatSeconds(breakdown.providerLoadMs)}. The rest, ${formatSeconds(breakdown.restMs)}, covers the ` +
        "Atlas requests and run-to-run noise. The model puts the polling latency of these phases at " +
        `${formatSeconds(modelledLatency(current.schedule))}.`,
    );
  }
  return sentences.length === 0 ? undefined : sentences.join("\n");
}

function pollingFinding(results: BenchResults): string | undefined {
  const creates = results.runs.flatMap((run) => run.waits.linkCreate);
  if (creates.length === 0) {
    return undefined;
  }
  const summary = summarizeWaits(creates);
  if (summary.maxLatencyShare < 0.1) {
    return undefined;
  }

  const schedule = results.pollSchedule;
  const [current, alternative] = results.scheduleModels;
  const at = (model: (typeof results.scheduleModels)[number], changeMs: number) =>
    model.changes.find((change) => change.changeAfterMs === changeMs);
  const early = [4000, 30_000].map((changeMs) => at(current, changeMs));
  const late = at(current, 600_000);
  const currentAtTwoMinutes = at(current, 120_000);
  const alternativeAtTwoMinutes = at(alternative, 120_000);

  const sentences = [
    `- **A wait of a few seconds costs ${percent(summary.medianLatencyShare)} in polling.** The schedule polls ` +
      `at least ${formatSeconds(schedule.initialDelayMs)} apart, so a change half-way between two polls is noticed ` +
      `${formatSeconds(schedule.initialDelayMs / 2)} late, more than a tenth of a wait shorter than ` +
      `${formatSeconds((schedule.initialDelayMs / 2) * 10)}. Beyond ${formatSeconds(schedule.initialDelayMs * 10)}, ` +
      "each delay is a tenth of the time waited, so the share stays under 10%.",
  ];
  if (early.every((change) => change !== undefined) && late !== undefined) {
    const shares = early.map(
      (change) => `${percent(change.worstLatencyShare)} at ${formatDuration(change.changeAfterMs)}`,
    );
    sentences.push(
      `The model gives a worst share of ${shares.join(" and ")}, and ${percent(late.worstLatencyShare)} at ` +
        `${formatDuration(late.changeAfterMs)}.`,
    );
  }
  if (currentAtTwoMinutes !== undefined && alternativeAtTwoMinutes !== undefined) {
    sentences.push(
      `The ${alternative.name} schedule gave ${percent(alternativeAtTwoMinutes.worstLatencyShare)} at 2 min ` +
        `instead of ${percent(currentAtTwoMinutes.worstLatencyShare)}, for ${alternativeAtTwoMinutes.polls} polls ` +
        `instead of ${currentAtTwoMinutes.polls}.`,
    );
  }
  return sentences.join(" ");
}

/** Returns the requests of `command` in `run` that the emulator rejected for stale or wrong digest credentials. */
function rejectedCredentials(run: LinkRun, command: Command): number {
  return Object.values(run[command].requests).reduce((sum, kind) => sum + kind.authFailures, 0);
}

function challengeFinding(results: BenchResults): string | undefined {
  const groups = groupRuns(results.runs).filter((group) => group.parallel === undefined);
  if (groups.length === 0) {
    return undefined;
  }
  const refreshChallenges = groups.map(
    (group, index) =>
      `${perLink(group, "refresh", ["linkRead"], "challenges").toFixed(2)}${index === 0 ? " challenges per link" : ""} ` +
      `for ${group.links} ${group.links === 1 ? "link" : "links"}`,
  );
  const rejectedTotal = results.runs.reduce(
    (total, run) => total + COMMANDS.reduce((sum, command) => sum + rejectedCredentials(run, command), 0),
    0,
  );
  const sentences = [
    "- **Digest challenges: one per provider process, plus one per call that starts before the first is answered.** " +
      "Each process keeps one Atlas client, and with it one digest nonce, for all its calls. Calls that start in " +
      "parallel before a nonce is shared each get a challenge, so a `refresh` paid " +
      `${refreshChallenges.join(", ")}.`,
  ];
  if (rejectedTotal > 0) {
    sentences.push(
      `In ${rejectedTotal} ${rejectedTotal === 1 ? "request" : "requests"} over all runs, parallel calls that reuse ` +
        "the nonce reached the emulator out of nonce-count order. The emulator rejects a count that is not above the " +
        "last one it accepted, and the client then answers the new challenge within the same attempt, so no call " +
        "failed or was retried for it.",
    );
  }
  return sentences.join(" ");
}

function importFinding(results: BenchResults): string | undefined {
  const sdkAlone = importOf(results.inRepository.imports, "sdk");
  const pulumiAlone = importOf(results.inRepository.imports, "pulumi");
  const afterAws = importOf(results.inRepository.imports, "aws-then-sdk");
  if (sdkAlone === undefined || pulumiAlone === undefined || sdkAlone.medianMs < 300) {
    return undefined;
  }
  return (
    "- **Importing the SDK costs what @pulumi/pulumi costs.** The SDK's classes extend `pulumi.dynamic.Resource`, " +
    `so its require() loads @pulumi/pulumi, which alone took ${formatMs(pulumiAlone.medianMs)} here` +
    (afterAws === undefined
      ? ""
      : `; after @pulumi/aws, which loads @pulumi/pulumi too, the SDK took ${formatMs(afterAws.medianMs)}`) +
    ". Every Pulumi program loads @pulumi/pulumi anyway."
  );
}

function findings(results: BenchResults): string[] {
  return [
    engineSlotsFinding(results),
    overheadFinding(results),
    pollingFinding(results),
    challengeFinding(results),
    importFinding(results),
  ].filter((line): line is string => line !== undefined);
}

function methodSection(results: BenchResults): string[] {
  const timing = results.emulatorTiming;
  const schedule = results.pollSchedule;
  const expected = expectedLinkRequests(results);
  const seconds = formatSeconds;
  const linkReadyMs = timing.endpointPendingAcceptanceMs + timing.endpointPendingMs;
  const providerStarts = results.providerStartMs.map((value) => value.toFixed(0));
  return [
    "- The program `bench/programs/links` declares one endpoint service and N links. The real Pulumi CLI runs it " +
      "with its Node.js language host and dynamic provider process, a temporary `PULUMI_HOME`, a file backend in a " +
      "temporary folder and `--skip-preview`, against the emulator started in the benchmark's process on 127.0.0.1.",
    `- Emulator phases: service INITIATING ${seconds(timing.serviceInitiatingMs)}, link PENDING_ACCEPTANCE ` +
      `${seconds(timing.endpointPendingAcceptanceMs)} and PENDING ${seconds(timing.endpointPendingMs)}, link ` +
      `DELETING ${seconds(timing.endpointDeletingMs)}, service DELETING ${seconds(timing.serviceDeletingMs)}. ` +
      "Each wait ends half-way between two polls of the default schedule, the average case for a change at a random " +
      "time." +
      (results.longWait === undefined
        ? ""
        : ` The long-wait run (1 link, full mode only) has link PENDING_ACCEPTANCE ` +
          `${seconds(results.longWait.emulatorTiming.endpointPendingAcceptanceMs)} and PENDING ` +
          `${seconds(results.longWait.emulatorTiming.endpointPendingMs)}, nearer the minutes Atlas takes.`),
    "- Floor: the time the emulator makes a command wait when links run in parallel. " +
      `\`up\`: ${seconds(upFloorMs(timing))} (the service, then the links), \`destroy\`: ` +
      `${seconds(destroyFloorMs(timing))} (the links, then the service), \`refresh\`: 0. The floor at the engine's ` +
      "parallelism counts one round of links per `--parallel` links.",
    "- No-op run: the same program with 1 link whose two dynamic resources use a provider that only returns its " +
      "inputs. It measures the engine, the program and Pulumi's dynamic provider process without Atlas. Median of " +
      `${results.baselineRuns.length - 1} runs after a warm-up: up ${seconds(baselineWallMs(results, "up"))}, ` +
      `refresh ${seconds(baselineWallMs(results, "refresh"))}, destroy ${seconds(baselineWallMs(results, "destroy"))}.`,
    `- Poll schedule (\`DEFAULT_POLL_SCHEDULE\` in provider/polling.ts): each delay is the longer of ` +
      `${seconds(schedule.initialDelayMs)} and ${percent(schedule.elapsedRatio ?? 0)} of the time waited so far, ` +
      `at most ${seconds(schedule.maxDelayMs)}. It is also the backoff that bounds the requests. A link create is expected to send ${expected.create} requests here: the POST and the ` +
      `polls up to the first one after ${seconds(linkReadyMs)}. A link delete is expected to send ` +
      `${expected.delete}: the DELETE and the polls up to the 404, plus one project listing that confirms the 404.`,
    "- Polling cost: from the emulator's change (the create or delete request's arrival plus the phase times) to the " +
      "arrival of the object's last read in that command, the one that saw the change. Link POSTs do not name the " +
      "VPC endpoint, so they are paired with links in time order. Digest challenges (a 401 to a request without " +
      "credentials) are counted apart from the requests.",
    "- The installed setup packs the package with `npm pack`, installs the tarball with @pulumi/pulumi " +
      `${INSTALLED_PULUMI_VERSION} in a temporary folder and runs the compiled program there with 1 link and phases ` +
      `of ${seconds(results.installed.emulatorTiming.endpointPendingMs)}. It checks the stored provider and that ` +
      "`refresh` and `destroy` work with it. Its times are not comparable with the others.",
    "- Pulumi's dynamic provider process, which every command here starts once (the no-op run's included), took " +
      `${providerStarts.join(", ")} ms from the start of \`pulumi-resource-pulumi-nodejs\` in the program folder ` +
      "until it printed its port.",
    "- Serialization and import times come from fresh Node.js processes (`bench/probes/`). Serialization times " +
      "`pulumi.runtime.serializeFunction` as the SDK calls it, once per provider in a program, after a first call on " +
      "an empty function that sets up the serializer " +
      `(${formatMs(results.installed.serialization.serializerStartMs)} installed, ` +
      `${formatMs(results.inRepository.serialization.serializerStartMs)} in the repository).`,
    "- Every stack passes the end-to-end key audit: no key in the CLI output, the state or the request log.",
  ];
}

/** Renders the report page, docs/benchmarks.md, from the results. */
export function renderMarkdown(results: BenchResults): string {
  const goals = checkGoals(results);
  return [
    "# Benchmarks",
    "",
    `Figures from \`${results.command}\`, which took ${formatSeconds(results.totalMs)}, started ` +
      `${results.startedAt}. \`npm run bench\` measures 1, 10 and 50 links and \`npm run bench -- --quick\` 1 and ` +
      "10. Both install what is missing, build, write the raw figures to `bench/results.json` and rewrite this page.",
    "",
    "## Machine",
    "",
    machineSection(results),
    "",
    "## Method",
    "",
    ...methodSection(results),
    "",
    "## Goals",
    "",
    table(
      ["goal", "measured", "met"],
      goals.map((goal) => [goal.goal, goal.figure, goal.met ? "yes" : "no"]),
    ),
    "",
    ...(findings(results).length > 0 ? ["## Findings", "", ...findings(results), ""] : []),
    "## Wall time",
    "",
    wallTimeTable(results),
    "",
    "What a 1-link stack spends beyond the floor and the no-op run, from the medians (the provider code load comes " +
      "from the import probe and happens once per command):",
    "",
    breakdownTable(results),
    "",
    "Where `up` spends its time (medians):",
    "",
    upTimelineTable(results),
    "",
    "## Polling cost",
    "",
    pollingTable(results),
    "",
    "What the poll schedules imply for a change at a given time after the request (computed, not measured; request " +
      "times ignored):",
    "",
    scheduleTable(results),
    "",
    "## Atlas requests",
    "",
    requestTable(results),
    "",
    "## Serialized provider",
    "",
    "The SDK passes each resource the exports of `provider/lazyInterfaceLinkProvider` or " +
      "`provider/lazyPrivateEndpointProvider`. Installed under `node_modules`, the serializer stores that object as " +
      "a `require()` of the module, which loads the provider code at its first call. In the repository it copies " +
      "their small forwarding functions instead. The last row of each setup is a " +
      "`PrivateEndpointInterfaceLinkProvider` instance, which the SDK passed before: its methods and every helper " +
      "they call were copied into the state.",
    "",
    serializationTable(results),
    "",
    "## Import time",
    "",
    importTable(results),
    "",
  ].join("\n");
}

/** Renders the goals and the main figures as plain text for the terminal. */
export function renderConsoleSummary(results: BenchResults): string {
  const lines = ["", "Goals:"];
  for (const goal of checkGoals(results)) {
    lines.push(`  [${goal.met ? "met" : "missed"}] ${goal.goal.replace(/`/g, "")}: ${goal.figure}`);
  }
  lines.push("", "Median wall time (up / refresh / destroy):");
  for (const group of groupRuns(results.runs)) {
    const parallel = group.parallel === undefined ? "" : ` --parallel ${group.parallel}`;
    const walls = COMMANDS.map((command) => formatSeconds(medianWallMs(group.runs, command)));
    lines.push(`  ${group.links} links${parallel}, ${group.runs.length} runs: ${walls.join(" / ")}`);
  }
  return lines.join("\n");
}
