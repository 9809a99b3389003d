import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { EmulatorControl } from "./support/emulatorControl";
import type { EmulatorRequest } from "./support/emulatorControl";
import { assertNoKeyLeaked } from "./support/keyAudit";
import { EVENT_LOG_ENV, REDIRECTS_ENV } from "./support/loopbackGuard";
import type { GuardEvent } from "./support/loopbackGuard";
import { destroyStackAndCloseEmulator, PulumiStack, REPO_ROOT } from "./support/pulumiStack";
import { GOV_HOST, readGovCertificate, TEST_CA_PATH } from "./support/testCertificate";

const PROGRAM_DIR = path.join(REPO_ROOT, "tests", "e2e", "programs", "interface-link");
const PRELOAD_PATH = path.join(__dirname, "support", "loopbackGuardPreload.js");
const GOV_BASE_URL = `https://${GOV_HOST}`;
const VPCE = "vpce-0c1d2e3f405162738";
const TOKEN_PATH = "/api/oauth/token";

/** How a case points the provider at Atlas for Government and authenticates. */
interface GovCase {
  title: string;
  /** Stack config besides the program's own keys; `emulator` supplies the credentials. */
  config(emulator: RunningEmulator): Record<string, string>;
  secretConfig(emulator: RunningEmulator): Record<string, string>;
  /** Scheme of the `Authorization` header that the provider's successful API requests must use. */
  authScheme: "digest" | "bearer";
}

/**
 * Returns the environment that loads the loopback guard into every Node.js process the Pulumi CLI starts, trusts
 * the test CA there, and sends connections for the gov host on port 443 to the emulator's HTTPS port.
 */
function guardEnvironment(emulator: RunningEmulator, eventLog: string): Record<string, string> {
  const inherited = process.env.NODE_OPTIONS?.trim();
  const preload = `--require ${JSON.stringify(PRELOAD_PATH)}`;
  return {
    NODE_OPTIONS: inherited ? `${inherited} ${preload}` : preload,
    NODE_EXTRA_CA_CERTS: TEST_CA_PATH,
    [REDIRECTS_ENV]: `${GOV_HOST}:443=127.0.0.1:${String(emulator.httpsPort)}`,
    [EVENT_LOG_ENV]: eventLog,
  };
}

async function readEvents(eventLog: string): Promise<GuardEvent[]> {
  const text = await fs.readFile(eventLog, "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as GuardEvent);
}

/** Defines the suite of one case: up, refresh and destroy through the gov host, then the request log and guard audits. */
function describeGovCase(govCase: GovCase): void {
  describe(`Atlas for Government ${govCase.title}`, function () {
    this.timeout(10 * 60 * 1000);

    let emulator: RunningEmulator;
    let control: EmulatorControl;
    let stack: PulumiStack;
    let workDir: string;
    let eventLog: string;

    before(async function () {
      const { cert, key } = readGovCertificate();
      emulator = await startEmulator({
        https: { cert, key },
        timing: {
          serviceInitiatingMs: 300,
          serviceDeletingMs: 300,
          endpointPendingAcceptanceMs: 300,
          endpointPendingMs: 300,
          endpointDeletingMs: 300,
        },
      });
      control = new EmulatorControl(emulator.baseUrl);
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), "atlas-gov-e2e-"));
      eventLog = path.join(workDir, "guard-events.jsonl");
      stack = await PulumiStack.create({
        programDir: PROGRAM_DIR,
        config: {
          ...govCase.config(emulator),
          "interface-link-e2e:projectId": emulator.projectId,
          "interface-link-e2e:interfaceEndpointId": VPCE,
        },
        secretConfig: govCase.secretConfig(emulator),
        env: guardEnvironment(emulator, eventLog),
      });
    });

    afterEach(async function () {
      await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
    });

    after(async function () {
      await destroyStackAndCloseEmulator(stack, emulator);
      if (workDir) {
        await fs.rm(workDir, { recursive: true, force: true });
      }
    });

    it("up reaches AVAILABLE", async function () {
      await stack.up();
      const outputs = await stack.outputs();
      assert.equal(outputs.connectionStatus, "AVAILABLE");
      assert.equal((outputs.lookup as Record<string, unknown>).connectionStatus, "AVAILABLE");
      const objects = await control.state();
      assert.deepEqual(
        objects.endpoints.map((endpoint) => [endpoint.interfaceEndpointId, endpoint.connectionStatus]),
        [[VPCE, "AVAILABLE"]],
      );
    });

    it("refresh finds no changes", async function () {
      await stack.refresh({ expectNoChanges: true });
    });

    it("destroy removes the link and the service", async function () {
      await stack.destroy();
      const objects = await control.state();
      assert.deepEqual(objects.endpoints, []);
      assert.deepEqual(objects.services, []);
    });

    it("every request arrived over TLS for the gov host", async function () {
      const requests = await control.requests();
      const show = (request: EmulatorRequest): string => JSON.stringify(request);
      assert.ok(requests.length > 0, "the emulator logged no request");
      for (const request of requests) {
        assert.equal(request.host, GOV_HOST, show(request));
        assert.equal(request.tls, true, show(request));
        assert.equal(request.serverName, GOV_HOST, show(request));
      }
      const servicePath = `/api/atlas/v2/groups/${emulator.projectId}/privateEndpoint/endpointService`;
      assert.ok(
        requests.some((request) => request.method === "POST" && request.path === servicePath && request.status === 200),
        `no successful POST ${servicePath}`,
      );
      const succeeded = requests.filter((request) => request.path.startsWith("/api/atlas/") && request.status < 400);
      assert.deepEqual([...new Set(succeeded.map((request) => request.authScheme))], [govCase.authScheme]);
      if (govCase.authScheme === "bearer") {
        assert.ok(
          requests.some(
            (request) => request.method === "POST" && request.path === TOKEN_PATH && request.status === 200,
          ),
          `no successful POST ${TOKEN_PATH}`,
        );
      }
    });

    it("guard loaded in both Pulumi processes and rejected nothing", async function () {
      const events = await readEvents(eventLog);
      const loads = events.filter((event) => event.event === "load");
      const redirects = events.filter((event) => event.event === "redirect");
      const redirectingPids = new Set(redirects.map((event) => event.pid));
      const pidsRunning = (pattern: RegExp): number[] =>
        loads.filter((event) => pattern.test(event.script)).map((event) => event.pid);

      const providerPids = pidsRunning(/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider[\\/]/);
      const programPids = pidsRunning(/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]/);
      assert.ok(providerPids.length > 0, `no dynamic provider process loaded the guard: ${JSON.stringify(loads)}`);
      assert.ok(programPids.length > 0, `no program process loaded the guard: ${JSON.stringify(loads)}`);

      assert.ok(
        providerPids.some((pid) => redirectingPids.has(pid)),
        "no dynamic provider process sent a redirected connection",
      );
      assert.ok(
        programPids.some((pid) => redirectingPids.has(pid)),
        "the program process, which runs the lookup, sent no redirected connection",
      );
      for (const redirect of redirects) {
        assert.deepEqual(redirect, {
          event: "redirect",
          pid: redirect.pid,
          from: `${GOV_HOST}:443`,
          to: `127.0.0.1:${String(emulator.httpsPort)}`,
        });
      }

      assert.deepEqual(
        events.filter((event) => event.event === "reject"),
        [],
      );
    });
  });
}

describeGovCase({
  title: "with mongodbatlas:baseUrl",
  config: () => ({ "mongodbatlas:baseUrl": GOV_BASE_URL }),
  secretConfig: (emulator) => ({
    "mongodbatlas:publicKey": emulator.publicKey,
    "mongodbatlas:privateKey": emulator.privateKey,
  }),
  authScheme: "digest",
});

describeGovCase({
  title: "with mongodbatlas:isMongodbgovCloud",
  config: () => ({ "mongodbatlas:isMongodbgovCloud": "true" }),
  secretConfig: (emulator) => ({
    "mongodbatlas:publicKey": emulator.publicKey,
    "mongodbatlas:privateKey": emulator.privateKey,
  }),
  authScheme: "digest",
});

// The token request must follow the flag to the gov host too.
describeGovCase({
  title: "with a service account and mongodbatlas:isMongodbgovCloud",
  config: (emulator) => ({ "mongodbatlas:isMongodbgovCloud": "true", "mongodbatlas:clientId": emulator.clientId }),
  secretConfig: (emulator) => ({ "mongodbatlas:clientSecret": emulator.clientSecret }),
  authScheme: "bearer",
});
