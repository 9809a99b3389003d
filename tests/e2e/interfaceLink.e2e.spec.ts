import * as assert from "node:assert/strict";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { EmulatorControl } from "./support/emulatorControl";
import type { EmulatorEndpoint } from "./support/emulatorControl";
import { assertNoKeyLeaked, findSecret } from "./support/keyAudit";
import { destroyStackAndCloseEmulator, PulumiStack, REPO_ROOT } from "./support/pulumiStack";
import type { StateResource } from "./support/pulumiStack";

const PROGRAM_DIR = path.join(REPO_ROOT, "tests", "e2e", "programs", "interface-link");
const FIRST_VPCE = "vpce-0a1b2c3d4e5f60718";
const SECOND_VPCE = "vpce-1b2c3d4e5f6071829";
const REJECTED_VPCE = "vpce-2c3d4e5f607182930";
const REJECTION_MESSAGE = "VPC endpoint vpce-2c3d4e5f607182930 does not exist in account 123456789012";

function linkResources(resources: StateResource[]): StateResource[] {
  return resources.filter((resource) => resource.type.endsWith(":PrivateEndpointInterfaceLink"));
}

/** One Atlas API that the same cases run against, and what its run must show. */
interface ApiRun {
  api: "v2" | "legacy";
  /** Stack config that selects the API; the v2 run sets nothing, because v2 is the default. */
  config: Record<string, string>;
  /** Prefix of every path in the emulator's request log. */
  pathPrefix: string;
  /** Emulator phase durations in milliseconds, added to the shared ones. */
  timing: Record<string, number>;
  /** connectionStatus of the create response, the first status the provider logs. */
  firstStatus: string;
}

const API_RUNS: ApiRun[] = [
  { api: "v2", config: {}, pathPrefix: "/api/atlas/v2/", timing: {}, firstStatus: "PENDING_ACCEPTANCE" },
  {
    api: "legacy",
    config: { "mongodbatlas:privateEndpointApi": "legacy" },
    pathPrefix: "/api/atlas/v1.0/",
    // The emulator skips NONE unless endpointNoneMs is above 0.
    timing: { endpointNoneMs: 300 },
    firstStatus: "NONE",
  },
];

for (const run of API_RUNS) {
  describeInterfaceLink(run);
}

function describeInterfaceLink(run: ApiRun): void {
  describe(`interface link through the Pulumi engine (${run.api} API)`, function () {
    this.timeout(10 * 60 * 1000);

    let emulator: RunningEmulator;
    let control: EmulatorControl;
    let stack: PulumiStack;

    before(async function () {
      emulator = await startEmulator({
        timing: {
          serviceInitiatingMs: 500,
          serviceDeletingMs: 300,
          endpointPendingAcceptanceMs: 500,
          endpointPendingMs: 500,
          endpointDeletingMs: 300,
          ...run.timing,
        },
      });
      control = new EmulatorControl(emulator.baseUrl);
      stack = await PulumiStack.create({
        programDir: PROGRAM_DIR,
        config: {
          "mongodbatlas:baseUrl": emulator.baseUrl,
          ...run.config,
          "interface-link-e2e:projectId": emulator.projectId,
          "interface-link-e2e:interfaceEndpointId": FIRST_VPCE,
        },
        secretConfig: { "mongodbatlas:publicKey": emulator.publicKey, "mongodbatlas:privateKey": emulator.privateKey },
      });
    });

    afterEach(async function () {
      await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
    });

    after(async function () {
      await destroyStackAndCloseEmulator(stack, emulator);
    });

    async function endpointsInEmulator(): Promise<EmulatorEndpoint[]> {
      return (await control.state()).endpoints;
    }

    it("preview of a new stack plans three creates", async function () {
      const result = await stack.preview();
      assert.match(result.stdout, /\+ 3 to create/);
      assert.deepEqual(await endpointsInEmulator(), []);
    });

    it("up creates a link that reaches AVAILABLE", async function () {
      const result = await stack.up();
      assert.match(result.stdout, new RegExp(`${FIRST_VPCE} status ${run.firstStatus} after `));
      const outputs = await stack.outputs();
      assert.equal(outputs.connectionStatus, "AVAILABLE");
      assert.equal(outputs.deleteRequested, false);
      assert.equal(outputs.errorMessage, null);
      assert.equal(outputs.linkId, `${emulator.projectId}--${String(outputs.privateLinkId)}--${FIRST_VPCE}--AWS`);
      const endpoints = await endpointsInEmulator();
      assert.deepEqual(
        endpoints.map((endpoint) => [endpoint.interfaceEndpointId, endpoint.connectionStatus]),
        [[FIRST_VPCE, "AVAILABLE"]],
      );
      const services = (await stack.resources()).filter((resource) => resource.type.endsWith(":PrivateEndpoint"));
      assert.equal(services.length, 1);
      const service = services[0].outputs ?? {};
      assert.equal(service.privateLinkId, outputs.privateLinkId);
      assert.equal(service.regionName, "US_EAST_1");
      // The service's outputs are those of its create, which ends before the link exists.
      assert.equal(service.status, "WAITING_FOR_USER");
      assert.deepEqual(service.interfaceEndpoints, []);
      assert.match(String(service.endpointServiceName), /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
      assert.equal(outputs.endpointServiceName, service.endpointServiceName);
    });

    it("lookup returns the link's status fields", async function () {
      const lookup = (await stack.outputs()).lookup as Record<string, unknown>;
      assert.equal(lookup.interfaceEndpointId, FIRST_VPCE);
      assert.equal(lookup.connectionStatus, "AVAILABLE");
      assert.equal(lookup.deleteRequested, false);
      assert.equal(lookup.errorMessage, null);
    });

    it("second up changes nothing", async function () {
      await stack.up({ expectNoChanges: true });
    });

    it("refresh changes nothing", async function () {
      await stack.refresh({ expectNoChanges: true });
    });

    it("refresh drops a link deleted out of band", async function () {
      assert.equal(linkResources(await stack.resources()).length, 1);
      const outputs = await stack.outputs();
      await control.deleteInterfaceEndpoint(emulator.projectId, String(outputs.privateLinkId), FIRST_VPCE);
      await stack.refresh();
      const links = linkResources(await stack.resources());
      assert.equal(links.length, 0);
    });

    it("next up recreates the dropped link", async function () {
      await stack.up();
      const links = linkResources(await stack.resources());
      assert.equal(links.length, 1);
      assert.equal(links[0].outputs?.connectionStatus, "AVAILABLE");
      const endpoints = await endpointsInEmulator();
      assert.deepEqual(
        endpoints.map((endpoint) => [endpoint.interfaceEndpointId, endpoint.connectionStatus]),
        [[FIRST_VPCE, "AVAILABLE"]],
      );
    });

    it("changing interfaceEndpointId replaces the link", async function () {
      await stack.setConfig("interface-link-e2e:interfaceEndpointId", SECOND_VPCE);
      const preview = await stack.preview();
      assert.match(preview.stdout, /\+-1 to replace/);
      const result = await stack.up();
      assert.match(result.stdout, /replaced/);
      const links = linkResources(await stack.resources());
      assert.equal(links.length, 1);
      assert.equal(links[0].outputs?.interfaceEndpointId, SECOND_VPCE);
      const endpoints = await endpointsInEmulator();
      assert.deepEqual(
        endpoints.map((endpoint) => [endpoint.interfaceEndpointId, endpoint.connectionStatus]),
        [[SECOND_VPCE, "AVAILABLE"]],
      );
    });

    it("REJECTED fails the up with Atlas's message", async function () {
      await control.setOutcome({
        interfaceEndpointId: REJECTED_VPCE,
        connectionStatus: "REJECTED",
        errorMessage: REJECTION_MESSAGE,
      });
      await stack.setConfig("interface-link-e2e:interfaceEndpointId", REJECTED_VPCE);
      const result = await stack.up({ allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.ok(result.stdout.includes(REJECTION_MESSAGE), result.stdout);
      const tracked = linkResources(await stack.resources()).map((resource) => resource.outputs?.interfaceEndpointId);
      assert.ok(tracked.includes(REJECTED_VPCE), `the rejected link is kept in state: ${tracked.join(", ")}`);
    });

    it("decrypted state holds keys only in Pulumi's config copy", async function () {
      // Pulumi records the whole stack config, secrets encrypted, as the inputs of its Node.js dynamic provider.
      // The rest of the state is this package's own, and it must contain no key, even decrypted.
      const deployment = JSON.parse(await stack.exportState({ showSecrets: true })) as {
        deployment: { resources?: StateResource[] };
      };
      const ownResources = (deployment.deployment.resources ?? []).filter(
        (resource) => resource.type !== "pulumi:providers:pulumi-nodejs",
      );
      assert.equal(linkResources(ownResources).length, 2, "the replaced link and the rejected link");
      const text = JSON.stringify(ownResources);
      assert.equal(findSecret(text, emulator.privateKey), undefined, "private key in the package's state");
      assert.equal(findSecret(text, emulator.publicKey), undefined, "public key in the package's state");
    });

    it("next up replaces the rejected link", async function () {
      await control.clearOutcomes();
      await stack.up();
      const links = linkResources(await stack.resources());
      assert.deepEqual(
        links.map((link) => [link.outputs?.interfaceEndpointId, link.outputs?.connectionStatus]),
        [[REJECTED_VPCE, "AVAILABLE"]],
      );
      const endpoints = await endpointsInEmulator();
      assert.deepEqual(
        endpoints.map((endpoint) => [endpoint.interfaceEndpointId, endpoint.connectionStatus]),
        [[REJECTED_VPCE, "AVAILABLE"]],
      );
    });

    it("destroy leaves nothing in the emulator", async function () {
      await stack.destroy();
      const state = await control.state();
      assert.deepEqual(state.endpoints, []);
      assert.deepEqual(state.services, []);
      assert.deepEqual(linkResources(await stack.resources()), []);
    });

    it(`request log has only ${run.api} routes`, async function () {
      const requests = await control.requests();
      assert.ok(requests.length > 0, "the emulator logged no request");
      const elsewhere = requests.filter((request) => !request.path.startsWith(run.pathPrefix));
      assert.deepEqual(
        elsewhere.map((request) => `${request.method} ${request.path}`),
        [],
      );
      // The v1.0 routes return 406 NOT_ACCEPTABLE unless Accept admits application/json, and the v2 routes return 406
      // INVALID_VERSION_DATE unless it names the versioned media type.
      const notAcceptable = requests.filter((request) => request.status === 406);
      assert.deepEqual(
        notAcceptable.map((request) => `${request.method} ${request.path}`),
        [],
      );
    });
  });
}
