import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GOV_CERT_PATH, GOV_HOST, GOV_KEY_PATH, readGovCertificate } from "../e2e/support/testCertificate";
import { waitFor } from "./support/atlasTestClient";

// From dist/tests/emulator the compiled CLI is dist/emulator/main.js; from the sources, ts-node runs main.ts.
const COMPILED_MAIN = resolve(__dirname, "../../emulator/main.js");
const CLI_ARGS = existsSync(COMPILED_MAIN)
  ? [COMPILED_MAIN]
  : ["-r", require.resolve("ts-node/register/transpile-only"), resolve(__dirname, "../../emulator/main.ts")];

interface ReadyFile {
  baseUrl: string;
  httpsBaseUrl?: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  clientSecret: string;
  projectId: string;
  pid: number;
}

/** Runs the CLI, collecting its output. */
function runCli(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  return { child, output: () => text, exit };
}

describe("emulator CLI", function () {
  this.timeout(60_000);
  let directory: string;

  before(function () {
    directory = mkdtempSync(join(tmpdir(), "emulator-cli-"));
  });

  after(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  it("writes the ready file and stops on SIGTERM", async function () {
    const readyFile = join(directory, "ready.json");
    const projectId = "0123456789abcdef01234567";
    const cli = runCli([
      "--ready-file",
      readyFile,
      "--project-id",
      projectId,
      "--public-key",
      "clipublic",
      "--private-key",
      "cli-private-key",
      "--endpoint-pending-ms",
      "50",
    ]);
    try {
      await waitFor(
        () => Promise.resolve(existsSync(readyFile)),
        (exists) => exists,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const ready = JSON.parse(readFileSync(readyFile, "utf8")) as ReadyFile;
      assert.match(ready.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ready.projectId, projectId);
      assert.equal(ready.publicKey, "clipublic");
      assert.equal(ready.privateKey, "cli-private-key");
      assert.equal(ready.pid, cli.child.pid);

      const timing = (await (await fetch(`${ready.baseUrl}/__emulator/timing`)).json()) as Record<string, number>;
      assert.equal(timing.endpointPendingMs, 50);
      assert.equal(timing.serviceInitiatingMs, 1000);

      const output = await waitFor(
        () => Promise.resolve(cli.output()),
        (text) => /GET \/__emulator\/timing 200 \d+ms/.test(text),
      );
      assert.ok(output.includes(`listening on ${ready.baseUrl}`), output);
      assert.ok(output.includes(`Project id: ${projectId}`), output);
      assert.ok(output.includes("Public key (digest user name): clipublic"), output);
      assert.ok(output.includes("Private key (digest password): cli-private-key"), output);
    } finally {
      cli.child.kill("SIGTERM");
    }
    assert.equal(await cli.exit, 0);
    assert.ok(cli.output().includes("Emulator stopped."), cli.output());
    assert.equal(existsSync(readyFile), false);
  });

  it("writes service account credentials and token settings", async function () {
    const readyFile = join(directory, "ready-oauth.json");
    const cli = runCli([
      "--ready-file",
      readyFile,
      "--client-id",
      "cli-client",
      "--client-secret",
      "cli-client-secret",
      "--token-lifetime-ms",
      "120000",
      "--token-rate-limit",
      "0",
      "--max-active-tokens",
      "5",
      "--endpoint-none-ms",
      "40",
    ]);
    try {
      await waitFor(
        () => Promise.resolve(existsSync(readyFile)),
        (exists) => exists,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const ready = JSON.parse(readFileSync(readyFile, "utf8")) as ReadyFile;
      assert.equal(ready.clientId, "cli-client");
      assert.equal(ready.clientSecret, "cli-client-secret");

      const state = (await (await fetch(`${ready.baseUrl}/__emulator/state`)).json()) as {
        tokenLifetimeMs: number;
        tokenRateLimit: unknown;
        maxActiveTokens: number;
        timing: Record<string, number>;
      };
      assert.equal(state.tokenLifetimeMs, 120_000);
      assert.equal(state.tokenRateLimit, null);
      assert.equal(state.maxActiveTokens, 5);
      assert.equal(state.timing.endpointNoneMs, 40);

      const output = cli.output();
      assert.ok(output.includes("Service account client id: cli-client"), output);
      assert.ok(output.includes("Service account client secret: cli-client-secret"), output);
    } finally {
      cli.child.kill("SIGTERM");
    }
    assert.equal(await cli.exit, 0);
  });

  it("serves HTTPS with --https-cert and --https-key", async function () {
    const readyFile = join(directory, "ready-https.json");
    const cli = runCli(["--ready-file", readyFile, "--https-cert", GOV_CERT_PATH, "--https-key", GOV_KEY_PATH]);
    try {
      await waitFor(
        () => Promise.resolve(existsSync(readyFile)),
        (exists) => exists,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const ready = JSON.parse(readFileSync(readyFile, "utf8")) as ReadyFile;
      assert.match(ready.httpsBaseUrl ?? "", /^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number>((resolveStatus, reject) => {
        const url = new URL("/__emulator/health", ready.httpsBaseUrl);
        const request = httpsRequest(
          { host: url.hostname, port: url.port, path: url.pathname, servername: GOV_HOST, ca: readGovCertificate().ca },
          (response) => {
            response.resume();
            response.on("end", () => resolveStatus(response.statusCode ?? 0));
          },
        );
        request.on("error", reject);
        request.end();
      });
      assert.equal(status, 200);
      assert.ok(cli.output().includes(`HTTPS listening on ${ready.httpsBaseUrl}`), cli.output());
    } finally {
      cli.child.kill("SIGTERM");
    }
    assert.equal(await cli.exit, 0);
  });

  it("leaves httpsBaseUrl out of the ready file without HTTPS", async function () {
    const readyFile = join(directory, "ready-http.json");
    const cli = runCli(["--ready-file", readyFile]);
    try {
      await waitFor(
        () => Promise.resolve(existsSync(readyFile)),
        (exists) => exists,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const ready = JSON.parse(readFileSync(readyFile, "utf8")) as ReadyFile;
      assert.equal("httpsBaseUrl" in ready, false);
    } finally {
      cli.child.kill("SIGTERM");
    }
    assert.equal(await cli.exit, 0);
  });

  it("rejects --https-cert without --https-key", async function () {
    const cli = runCli(["--https-cert", GOV_CERT_PATH]);
    assert.equal(await cli.exit, 2);
    assert.match(cli.output(), /--https-cert and --https-key must be given together/);
  });

  it("rejects an unreadable certificate file", async function () {
    const missing = join(directory, "missing.crt");
    const cli = runCli(["--https-cert", missing, "--https-key", GOV_KEY_PATH]);
    assert.equal(await cli.exit, 2);
    assert.ok(cli.output().includes(`--https-cert file ${missing} cannot be read: ENOENT.`), cli.output());
  });

  it("rejects a client id without a secret", async function () {
    const cli = runCli(["--client-id", "only-id"]);
    assert.equal(await cli.exit, 2);
    assert.match(cli.output(), /--client-id and --client-secret must be given together/);
  });

  it("rejects an unknown flag", async function () {
    const cli = runCli(["--no-such-flag"]);
    assert.equal(await cli.exit, 2);
    assert.match(cli.output(), /Usage:/);
  });

  it("rejects a negative duration", async function () {
    const cli = runCli(["--endpoint-pending-ms=-5"]);
    assert.equal(await cli.exit, 2);
    assert.match(cli.output(), /--endpoint-pending-ms must be a non-negative number/);
  });

  it("prints help", async function () {
    const cli = runCli(["--help"]);
    assert.equal(await cli.exit, 0);
    assert.match(cli.output(), /--ready-file PATH/);
  });
});
