import * as assert from "node:assert/strict";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { AtlasClient } from "../../provider/atlas";
import type { RunningEmulator } from "../../emulator";
import { EmulatorControl } from "./support/emulatorControl";
import { assertNoKeyLeaked } from "./support/keyAudit";
import { PulumiStack, REPO_ROOT } from "./support/pulumiStack";
import type { StateResource } from "./support/pulumiStack";

const PROGRAM_DIR = path.join(REPO_ROOT, "tests", "e2e", "programs", "links");
const LINK_PATH = "/api/atlas/v2/groups/*/privateEndpoint/AWS/endpointService/*/endpoint/*";
const CREATE_LINK_PATH = "/api/atlas/v2/groups/*/privateEndpoint/AWS/endpointService/*/endpoint";
const VPCE = "vpce-0a1b2c3d4e5f60718";
const FAST_TIMING = {
  serviceInitiatingMs: 300,
  serviceDeletingMs: 300,
  endpointPendingAcceptanceMs: 300,
  endpointPendingMs: 300,
  endpointDeletingMs: 300,
};

function linkResources(resources: StateResource[]): StateResource[] {
  return resources.filter((resource) => resource.type.endsWith(":PrivateEndpointInterfaceLink"));
}

/**
 * Returns the number of distinct client retry lines in the CLI output. Pulumi prints each provider line twice, once
 * as it happens and once in the diagnostics summary, so lines are compared from the text "Atlas " on.
 */
function retryLines(output: string): number {
  const retries = new Set<string>();
  for (const line of output.split("\n")) {
    const start = line.indexOf("Atlas ");
    if (start >= 0 && /; retry \d+ of \d+ in /.test(line)) {
      retries.add(line.slice(start).trim());
    }
  }
  return retries.size;
}

/** Options of one test stack of the links program. */
interface StackOptions {
  links?: string[];
  config?: Record<string, string>;
  /** Leave out both keys, or give only the public key. */
  credentials?: "config" | "none" | "public-only";
  /** A private key other than the emulator's. */
  privateKey?: string;
}

describe("fault handling through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);

  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: PulumiStack | undefined;
  let keysInState = true;

  before(async function () {
    emulator = await startEmulator({ timing: FAST_TIMING });
    control = new EmulatorControl(emulator.baseUrl);
  });

  after(async function () {
    if (emulator) {
      await emulator.close();
    }
  });

  afterEach(async function () {
    if (stack === undefined) {
      return;
    }
    await control.clearFaults();
    await control.clearOutcomes();
    await control.setTiming(FAST_TIMING);
    if (keysInState) {
      await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
    }
    await stack.destroy({ allowFailure: true });
    await stack.dispose();
    stack = undefined;
    await control.reset();
  });

  async function newStack(options: StackOptions = {}): Promise<PulumiStack> {
    const credentials = options.credentials ?? "config";
    keysInState = credentials === "config";
    const secretConfig: Record<string, string> = {};
    if (credentials !== "none") {
      secretConfig["mongodbatlas:publicKey"] = emulator.publicKey;
    }
    if (credentials === "config") {
      secretConfig["mongodbatlas:privateKey"] = options.privateKey ?? emulator.privateKey;
    }
    stack = await PulumiStack.create({
      programDir: PROGRAM_DIR,
      config: {
        "mongodbatlas:baseUrl": emulator.baseUrl,
        "links-e2e:projectId": emulator.projectId,
        "links-e2e:interfaceEndpointIds": JSON.stringify(options.links ?? [VPCE]),
        ...options.config,
      },
      secretConfig,
    });
    return stack;
  }

  async function endpointStatuses(): Promise<string[][]> {
    return (await control.state()).endpoints.map((endpoint) => [
      endpoint.interfaceEndpointId,
      endpoint.connectionStatus,
    ]);
  }

  describe("retries", function () {
    it("429 on create is retried", async function () {
      const stack = await newStack();
      await control.addFault({ method: "POST", path: CREATE_LINK_PATH, status: 429, retryAfterSeconds: 1, count: 2 });
      const result = await stack.up();
      assert.equal(retryLines(result.stdout), 2);
      assert.deepEqual(await endpointStatuses(), [[VPCE, "AVAILABLE"]]);
    });

    it("500 while waiting is retried", async function () {
      const stack = await newStack();
      await control.addFault({ method: "GET", path: LINK_PATH, status: 500, count: 2 });
      await stack.up();
      assert.deepEqual(await endpointStatuses(), [[VPCE, "AVAILABLE"]]);
    });

    it("503 during refresh is retried", async function () {
      const stack = await newStack();
      await stack.up();
      await control.addFault({ method: "GET", path: LINK_PATH, status: 503, retryAfterSeconds: 1, count: 1 });
      const result = await stack.refresh({ expectNoChanges: true });
      assert.equal(retryLines(result.stdout), 1);
    });

    it("429 on delete is retried", async function () {
      const stack = await newStack();
      await stack.up();
      await control.addFault({ method: "DELETE", path: LINK_PATH, status: 429, retryAfterSeconds: 1, count: 2 });
      await stack.destroy();
      assert.deepEqual(await endpointStatuses(), []);
    });

    it("slow responses still succeed", async function () {
      const stack = await newStack();
      await control.addFault({ method: "GET", path: LINK_PATH, delayMs: 2000, count: 2 });
      await stack.up();
      assert.deepEqual(await endpointStatuses(), [[VPCE, "AVAILABLE"]]);
    });
  });

  describe("errors during refresh", function () {
    it("persistent 500 fails refresh and keeps the link", async function () {
      const stack = await newStack({ config: { "mongodbatlas:maxRetries": "1" } });
      await stack.up();
      await control.addFault({ method: "GET", path: LINK_PATH, status: 500, count: 10 });
      const result = await stack.refresh({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /500 UNEXPECTED_ERROR/);
      await control.clearFaults();
      assert.equal(linkResources(await stack.resources()).length, 1);
    });

    it("401 fails refresh and keeps the link", async function () {
      const stack = await newStack();
      await stack.up();
      await control.addFault({ method: "GET", path: LINK_PATH, status: 401, count: 10 });
      const result = await stack.refresh({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /Atlas authentication failed/);
      assert.equal(linkResources(await stack.resources()).length, 1);
    });

    it("403 fails refresh and keeps the link", async function () {
      const stack = await newStack();
      await stack.up();
      await control.addFault({ method: "GET", path: LINK_PATH, status: 403, count: 10 });
      const result = await stack.refresh({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /Atlas denied access/);
      assert.equal(linkResources(await stack.resources()).length, 1);
    });
  });

  describe("wrong settings", function () {
    it("wrong base URL path keeps resources", async function () {
      const stack = await newStack();
      await stack.up();
      await stack.setConfig("mongodbatlas:baseUrl", `${emulator.baseUrl}/wrong-prefix`);
      const result = await stack.run(
        ["refresh", "--yes", "--skip-preview", "--run-program", "--config-file", stack.configFile],
        { allowFailure: true },
      );
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /is kept in the state/);
      assert.match(result.stdout, /mongodbatlas:baseUrl/);
      assert.equal(linkResources(await stack.resources()).length, 1);
      await stack.setConfig("mongodbatlas:baseUrl", emulator.baseUrl);
      await stack.run(["refresh", "--yes", "--skip-preview", "--run-program", "--config-file", stack.configFile]);
      assert.equal(linkResources(await stack.resources()).length, 1);
    });

    it("invalid API setting fails an unchanged up", async function () {
      const stack = await newStack();
      await stack.up();
      await stack.setConfig("mongodbatlas:privateEndpointApi", "v1");
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /Invalid mongodbatlas:privateEndpointApi "v1": expected "v2" or "legacy"\./);
      await stack.setConfig("mongodbatlas:privateEndpointApi", "v2");
      await stack.up();
      assert.equal(linkResources(await stack.resources()).length, 1);
    });
  });

  describe("lost responses", function () {
    it("dropped create response is read back", async function () {
      const stack = await newStack();
      await control.addFault({ method: "POST", path: CREATE_LINK_PATH, drop: true, afterOperation: true });
      await stack.up();
      assert.deepEqual(await endpointStatuses(), [[VPCE, "AVAILABLE"]]);
      assert.equal(linkResources(await stack.resources()).length, 1);
    });

    it("500 after a create is read back", async function () {
      const stack = await newStack();
      await control.addFault({ method: "POST", path: CREATE_LINK_PATH, status: 500, afterOperation: true });
      await stack.up();
      assert.deepEqual(await endpointStatuses(), [[VPCE, "AVAILABLE"]]);
    });

    it("dropped create request is sent again", async function () {
      const stack = await newStack();
      await control.addFault({ method: "POST", path: CREATE_LINK_PATH, drop: true });
      await stack.up();
      assert.deepEqual(await endpointStatuses(), [[VPCE, "AVAILABLE"]]);
    });
  });

  describe("waiting", function () {
    it("stuck PENDING_ACCEPTANCE times out and stays tracked", async function () {
      const stack = await newStack({ config: { "links-e2e:createTimeout": "3s" } });
      await control.setOutcome({ interfaceEndpointId: VPCE, connectionStatus: "PENDING_ACCEPTANCE", hold: true });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /PENDING_ACCEPTANCE/);
      assert.match(result.stdout, /accept the connection request/);
      assert.equal(linkResources(await stack.resources()).length, 1);
      await stack.destroy();
      assert.deepEqual(await endpointStatuses(), []);
    });

    it("unknown status fails fast and stays tracked", async function () {
      const stack = await newStack();
      await control.setOutcome({ interfaceEndpointId: VPCE, connectionStatus: "RECREATING", hold: true });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /RECREATING/);
      assert.equal(linkResources(await stack.resources()).length, 1);
      await stack.destroy();
      assert.deepEqual(await endpointStatuses(), []);
    });

    it("error message while pending fails fast", async function () {
      const stack = await newStack();
      await control.setOutcome({
        interfaceEndpointId: VPCE,
        connectionStatus: "PENDING_ACCEPTANCE",
        hold: true,
        errorMessage: "VPC endpoint vpce-0a1b2c3d4e5f60718 was not found in AWS",
      });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /was not found in AWS/);
      assert.equal(linkResources(await stack.resources()).length, 1);
    });

    it("DELETING that never ends times out", async function () {
      const stack = await newStack({ config: { "links-e2e:deleteTimeout": "3s" } });
      await stack.up();
      await control.setTiming({ endpointDeletingMs: 3_600_000 });
      const result = await stack.destroy({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /DELETING/);
      assert.equal(linkResources(await stack.resources()).length, 1);
      await control.setTiming(FAST_TIMING);
    });

    it("service destroy waits for deleting links", async function () {
      const stack = await newStack({ links: [] });
      await stack.up();
      const service = (await control.state()).services[0];
      // Another tool attaches an endpoint to the service and deletes it just before the destroy.
      const otherTool = new AtlasClient({
        baseUrl: emulator.baseUrl,
        publicKey: emulator.publicKey,
        privateKey: emulator.privateKey,
      });
      await otherTool.createInterfaceEndpoint(emulator.projectId, service.id, VPCE);
      await control.setTiming({ endpointDeletingMs: 3000 });
      await otherTool.deleteInterfaceEndpoint(emulator.projectId, service.id, VPCE);
      const result = await stack.destroy();
      assert.match(result.stdout, /waiting for 1 interface endpoint to finish deleting/);
      assert.deepEqual((await control.state()).services, []);
    });

    it("delete of a link already gone succeeds", async function () {
      const stack = await newStack();
      await stack.up();
      const service = (await control.state()).services[0];
      await control.deleteInterfaceEndpoint(emulator.projectId, service.id, VPCE);
      await stack.destroy();
      assert.deepEqual((await control.state()).services, []);
    });
  });

  describe("bad input", function () {
    it("invalid vpce id fails preview without a request", async function () {
      const stack = await newStack({ links: ["VPCE-0A1B2C3D4E5F60718"] });
      await control.clearRequests();
      const result = await stack.preview({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /interfaceEndpointId "VPCE-0A1B2C3D4E5F60718" is invalid/);
      assert.deepEqual(await control.requests(), []);
    });

    it("unknown privateLinkId names the id", async function () {
      const missing = "5f0e0d0c0b0a090807060504";
      const stack = await newStack({ config: { "links-e2e:privateLinkId": missing } });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, new RegExp(`${missing}.*not found|not found.*${missing}`));
      assert.deepEqual(linkResources(await stack.resources()), []);
    });

    it("missing credentials name both ways to set them", async function () {
      const stack = await newStack({ credentials: "none" });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /mongodbatlas:publicKey/);
      assert.match(result.stdout, /MONGODB_ATLAS_PUBLIC_KEY/);
    });

    it("wrong private key fails authentication", async function () {
      const wrongKey = "0badc0de-0000-4000-8000-000000000000";
      const stack = await newStack({ privateKey: wrongKey });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /Atlas authentication failed/);
      assert.equal(result.stdout.includes(wrongKey), false);
      const unauthorized = (await control.requests()).filter((request) => request.status === 401).length;
      assert.equal(unauthorized, 2, "one challenge and one rejected attempt");
    });

    it("half-set credentials name the missing key", async function () {
      const stack = await newStack({ credentials: "public-only" });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /mongodbatlas:privateKey/);
    });

    it("non-http base URL is rejected", async function () {
      const stack = await newStack({ config: { "mongodbatlas:baseUrl": "ftp://127.0.0.1:1" } });
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /mongodbatlas:baseUrl/);
    });
  });
});

describe("load through the Pulumi engine", function () {
  this.timeout(15 * 60 * 1000);

  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: PulumiStack | undefined;

  afterEach(async function () {
    if (stack !== undefined) {
      await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
      await stack.destroy({ allowFailure: true });
      await stack.dispose();
      stack = undefined;
    }
    await emulator.close();
  });

  async function linksStack(count: number): Promise<{ stack: PulumiStack; links: string[] }> {
    const links = Array.from({ length: count }, (_, index) => `vpce-${index.toString(16).padStart(17, "0")}`);
    stack = await PulumiStack.create({
      programDir: PROGRAM_DIR,
      config: {
        "mongodbatlas:baseUrl": emulator.baseUrl,
        "links-e2e:projectId": emulator.projectId,
        "links-e2e:interfaceEndpointIds": JSON.stringify(links),
      },
      secretConfig: { "mongodbatlas:publicKey": emulator.publicKey, "mongodbatlas:privateKey": emulator.privateKey },
    });
    return { stack, links };
  }

  it("20 links under 10 requests a second", async function () {
    emulator = await startEmulator({ timing: FAST_TIMING, rateLimit: { requestsPerSecond: 10 } });
    control = new EmulatorControl(emulator.baseUrl);
    const { stack, links } = await linksStack(20);
    const result = await stack.up();
    const statuses = (await stack.outputs()).connectionStatuses as Record<string, string>;
    assert.deepEqual(Object.keys(statuses).sort(), [...links].sort());
    for (const link of links) {
      assert.equal(statuses[link], "AVAILABLE", link);
    }
    const rateLimited = (await control.requests()).filter((request) => request.status === 429).length;
    console.log(`      20 links: ${retryLines(result.stdout)} client retries, ${rateLimited} responses were 429`);
    await stack.destroy();
    assert.deepEqual((await control.state()).endpoints, []);
  });

  it("short-lived nonces under load", async function () {
    emulator = await startEmulator({ timing: FAST_TIMING, nonceLifetimeMs: 300 });
    control = new EmulatorControl(emulator.baseUrl);
    const { stack, links } = await linksStack(5);
    await stack.up();
    const statuses = (await stack.outputs()).connectionStatuses as Record<string, string>;
    for (const link of links) {
      assert.equal(statuses[link], "AVAILABLE", link);
    }
  });
});
