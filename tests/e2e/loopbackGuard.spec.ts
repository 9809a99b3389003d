import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import dns from "node:dns";
import * as fs from "node:fs/promises";
import net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import {
  EVENT_LOG_ENV,
  GUARD_ERROR_CODE,
  installLoopbackGuard,
  isLoopbackHost,
  LoopbackGuardError,
  parseRedirects,
  REDIRECTS_ENV,
} from "./support/loopbackGuard";
import type { GuardEvent } from "./support/loopbackGuard";
import { REPO_ROOT } from "./support/pulumiStack";
import { GOV_HOST, readGovCertificate, TEST_CA_PATH } from "./support/testCertificate";

/** Compiled preload that NODE_OPTIONS loads into the probe process. */
const PRELOAD_PATH = path.join(__dirname, "support", "loopbackGuardPreload.js");

/**
 * Source of the probe process: sends each request of the JSON list in argv with urllib, as the provider does, and
 * prints the statuses or errors as JSON. A request marked `loopbackLookup` uses a lookup function that records the
 * name and returns 127.0.0.1, so a connection the guard missed would stay on this machine and show in `lookups`.
 */
const PROBE_SOURCE = `
const { request, HttpClient } = require(process.argv[1]);
const lookups = [];
const loopbackLookup = (hostname, options, callback) => {
  lookups.push(hostname);
  if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
};
const client = new HttpClient({ lookup: loopbackLookup });
(async () => {
  const results = [];
  for (const probe of JSON.parse(process.argv[2])) {
    const options = { dataType: "text", retry: 0, timeout: 10000 };
    try {
      const response = probe.loopbackLookup ? await client.request(probe.url, options) : await request(probe.url, options);
      results.push({ status: response.status });
    } catch (error) {
      const cause = error.cause ?? error;
      results.push({ code: cause.code ?? error.code ?? null, message: String(cause.message ?? error.message) });
    }
  }
  process.stdout.write(JSON.stringify({ results, lookups }));
})();
`;

/** One request of a probe run; `loopbackLookup` replaces DNS with a lookup that returns 127.0.0.1. */
interface Probe {
  url: string;
  loopbackLookup?: boolean;
}

/** What a probe run printed and the guard events its process logged. */
interface ProbeRun {
  exitCode: number | null;
  stderr: string;
  results: { status?: number; code?: string | null; message?: string }[];
  lookups: string[];
  events: GuardEvent[];
}

/** Runs the probe in a child process that loads the guard through NODE_OPTIONS, as the Pulumi processes do. */
async function runProbe(probes: Probe[], redirects: string, workDir: string): Promise<ProbeRun> {
  const eventLog = path.join(workDir, `events-${Math.floor(Math.random() * 1e9).toString(36)}.jsonl`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD_PATH)}`,
    NODE_EXTRA_CA_CERTS: TEST_CA_PATH,
    [REDIRECTS_ENV]: redirects,
    [EVENT_LOG_ENV]: eventLog,
  };
  const urllibPath = require.resolve("urllib", { paths: [REPO_ROOT] });
  const child = spawn(process.execPath, ["-e", PROBE_SOURCE, urllibPath, JSON.stringify(probes)], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const printed = (stdout === "" ? { results: [], lookups: [] } : JSON.parse(stdout)) as Pick<
    ProbeRun,
    "results" | "lookups"
  >;
  const eventText = await fs.readFile(eventLog, "utf8").catch(() => "");
  const events = eventText
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as GuardEvent);
  return { exitCode, stderr, ...printed, events };
}

describe("loopback guard", function () {
  this.timeout(60_000);

  describe("isLoopbackHost", function () {
    const cases: [string, boolean][] = [
      ["127.0.0.1", true],
      ["127.8.9.10", true],
      ["localhost", true],
      ["LOCALHOST", true],
      ["::1", true],
      ["[::1]", true],
      ["::ffff:127.0.0.1", true],
      ["0.0.0.0", false],
      ["128.0.0.1", false],
      ["::", false],
      ["::ffff:10.0.0.1", false],
      [GOV_HOST, false],
      ["127.0.0.1.example.test", false],
    ];
    for (const [host, expected] of cases) {
      it(`${host} is ${expected ? "" : "not "}loopback`, function () {
        assert.equal(isLoopbackHost(host), expected);
      });
    }
  });

  describe("parseRedirects", function () {
    it("reads host:port=target pairs", function () {
      const redirects = parseRedirects("Cloud.MongoDBGov.com:443=127.0.0.1:4443, localhost:80=[::1]:8080");
      assert.deepEqual(
        [...redirects.entries()],
        [
          [`${GOV_HOST}:443`, { host: "127.0.0.1", port: 4443 }],
          ["localhost:80", { host: "::1", port: 8080 }],
        ],
      );
    });

    it("returns no redirects for unset text", function () {
      assert.equal(parseRedirects(undefined).size, 0);
      assert.equal(parseRedirects(" ").size, 0);
    });

    it("rejects a target that is not loopback", function () {
      assert.throws(() => parseRedirects(`${GOV_HOST}:443=10.1.2.3:443`), {
        message: `Invalid ${REDIRECTS_ENV} entry "${GOV_HOST}:443=10.1.2.3:443": the target 10.1.2.3 is not loopback.`,
      });
    });

    it("rejects a pair without a port", function () {
      assert.throws(() => parseRedirects(`${GOV_HOST}=127.0.0.1:443`), /expected host:port=127\.0\.0\.1:port/);
    });
  });

  describe("in this process", function () {
    const originalLookup = dns.lookup;
    let lookedUp: string[];

    // A stand-in for the system resolver below the guard: it records each name and returns 127.0.0.1, so a lookup the
    // guard let through would show here and still stay on this machine.
    beforeEach(function () {
      lookedUp = [];
      const recordingLookup = (hostname: string, ...rest: unknown[]): void => {
        lookedUp.push(hostname);
        const callback = rest[rest.length - 1] as (error: Error | null, address: string, family: number) => void;
        process.nextTick(() => callback(null, "127.0.0.1", 4));
      };
      (dns as unknown as Record<string, unknown>).lookup = recordingLookup;
    });

    afterEach(function () {
      dns.lookup = originalLookup;
    });

    it("rejects dns.lookup of a name that is not loopback", async function () {
      const guard = installLoopbackGuard(new Map());
      try {
        const error = await new Promise<Error | null>((resolve) => dns.lookup(GOV_HOST, (err) => resolve(err)));
        assert.ok(error instanceof LoopbackGuardError);
        assert.equal(error.code, GUARD_ERROR_CODE);
        assert.equal(error.target, GOV_HOST);
        assert.deepEqual(lookedUp, []);
      } finally {
        guard.uninstall();
      }
    });

    it("passes dns.lookup of localhost through", async function () {
      const guard = installLoopbackGuard(new Map());
      try {
        const address = await new Promise<string>((resolve, reject) =>
          dns.lookup("localhost", (err, found) => (err ? reject(err) : resolve(found))),
        );
        assert.equal(address, "127.0.0.1");
        assert.deepEqual(lookedUp, ["localhost"]);
      } finally {
        guard.uninstall();
      }
    });

    it("rejects a connection to a name before its lookup", async function () {
      const guard = installLoopbackGuard(new Map());
      const customLookups: string[] = [];
      try {
        const error = await new Promise<Error>((resolve, reject) => {
          const socket = net.connect({
            host: "guard-check.test",
            port: 9,
            lookup: (hostname, _options, callback) => {
              customLookups.push(hostname);
              callback(null, "127.0.0.1", 4);
            },
          });
          socket.on("error", resolve);
          socket.on("connect", () => {
            socket.destroy();
            reject(new Error("the connection to guard-check.test:9 was opened"));
          });
        });
        assert.ok(error instanceof LoopbackGuardError);
        assert.equal(error.target, "guard-check.test:9");
        assert.deepEqual(customLookups, []);
        assert.deepEqual(lookedUp, []);
      } finally {
        guard.uninstall();
      }
    });

    it("refuses a second install", function () {
      const guard = installLoopbackGuard(new Map());
      try {
        assert.throws(() => installLoopbackGuard(new Map()), /already installed/);
      } finally {
        guard.uninstall();
      }
    });

    it("restores net and dns on uninstall", function () {
      const socketPrototype = net.Socket.prototype as unknown as Record<string, unknown>;
      const connect = socketPrototype.connect;
      const lookup = dns.lookup;
      installLoopbackGuard(new Map()).uninstall();
      assert.equal(socketPrototype.connect, connect);
      assert.equal(dns.lookup, lookup);
    });
  });

  describe("preloaded through NODE_OPTIONS", function () {
    let emulator: RunningEmulator;
    let workDir: string;
    let redirects: string;

    before(async function () {
      const { cert, key } = readGovCertificate();
      emulator = await startEmulator({ https: { cert, key } });
      redirects = `${GOV_HOST}:443=127.0.0.1:${emulator.httpsPort}`;
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), "loopback-guard-"));
    });

    after(async function () {
      await emulator?.close();
      if (workDir) {
        await fs.rm(workDir, { recursive: true, force: true });
      }
    });

    it("sends urllib requests for the gov host to the emulator", async function () {
      const apiPath = `/api/atlas/v2/groups/${emulator.projectId}/privateEndpoint/AWS/endpointService`;
      const run = await runProbe([{ url: `https://${GOV_HOST}${apiPath}` }], redirects, workDir);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.deepEqual(run.results, [{ status: 401 }]);

      const log = (await (await fetch(`${emulator.baseUrl}/__emulator/requests`)).json()) as {
        requests: RequestLogEntry[];
      };
      const entry = log.requests.find((request) => request.path === apiPath);
      assert.ok(entry, JSON.stringify(log.requests));
      assert.equal(entry.host, GOV_HOST);
      assert.equal(entry.tls, true);
      assert.equal(entry.serverName, GOV_HOST);

      assert.deepEqual(
        run.events.map((event) => event.event),
        ["load", "redirect"],
      );
      assert.deepEqual(run.events[1], {
        event: "redirect",
        pid: run.events[0].pid,
        from: `${GOV_HOST}:443`,
        to: `127.0.0.1:${emulator.httpsPort}`,
      });
    });

    it("rejects targets that are not redirected", async function () {
      const run = await runProbe(
        [
          { url: `https://${GOV_HOST}:${emulator.httpsPort}/`, loopbackLookup: true },
          { url: `http://0.0.0.0:${emulator.port}/__emulator/health` },
        ],
        redirects,
        workDir,
      );
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.results.length, 2);
      for (const result of run.results) {
        assert.equal(result.code, GUARD_ERROR_CODE, JSON.stringify(result));
        assert.match(result.message ?? "", /^Loopback guard rejected a connection to /);
      }
      assert.deepEqual(run.lookups, []);
      assert.deepEqual(
        run.events.filter((event) => event.event === "reject").map((event) => event.event === "reject" && event.target),
        [`${GOV_HOST}:${emulator.httpsPort}`, `0.0.0.0:${emulator.port}`],
      );
    });

    it("stops the process at start for a redirect to another host", async function () {
      // No request is listed, so even a guard that accepted the redirect would open no connection.
      const run = await runProbe([], `${GOV_HOST}:443=192.0.2.1:443`, workDir);
      assert.notEqual(run.exitCode, 0);
      assert.match(run.stderr, /the target 192\.0\.2\.1 is not loopback/);
      assert.deepEqual(run.results, []);
      assert.deepEqual(run.events, []);
    });
  });
});
