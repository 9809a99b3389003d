import * as assert from "node:assert/strict";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { AtlasTestClient, atlasPaths, ControlClient, waitFor } from "../emulator/support/atlasTestClient";
import { createEndpoint, createReadyService, readStatus } from "../emulator/support/fixtures";
import type { EmulatorFixture } from "../emulator/support/fixtures";
import { EmulatorControl } from "./support/emulatorControl";
import type { EmulatorRequest } from "./support/emulatorControl";
import { assertNoKeyLeaked } from "./support/keyAudit";
import { destroyStackAndCloseEmulator, PulumiStack, REPO_ROOT } from "./support/pulumiStack";
import type { StateResource } from "./support/pulumiStack";

const PROGRAM_DIR = path.join(REPO_ROOT, "tests", "e2e", "programs", "adopt-link");
const READ_VPCE = "vpce-0a1b2c3d4e5f60718";
const ADOPTED_VPCE = "vpce-1b2c3d4e5f6071829";
const MALFORMED_ID = "5f0a1b2c3d4e5f6a7b8c9d0e-vpce-0a1b2c3d4e5f60718";
const ID_FORMAT_MESSAGE =
  "Expected {projectId}--{privateLinkId}--{interfaceEndpointId}--AWS, e.g. " +
  "5f0a1b2c3d4e5f6a7b8c9d0e--6a0b1c2d3e4f5a6b7c8d9e0f--vpce-0a1b2c3d4e5f60718--AWS.";

/** A resource of the exported state with the flag Pulumi sets on resources read with get. */
interface ExportedResource extends StateResource {
  external?: boolean;
}

function linkResource(resources: StateResource[], name: string): ExportedResource | undefined {
  return resources.find(
    (resource) => resource.type.endsWith(":PrivateEndpointInterfaceLink") && resource.urn.endsWith(`::${name}`),
  );
}

describe("adopting existing links through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);

  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let fixture: EmulatorFixture;
  let serviceId: string;
  let stack: PulumiStack;

  const linkId = (vpce: string) => `${emulator.projectId}--${serviceId}--${vpce}--AWS`;
  const endpointPath = (vpce: string) => fixture.paths.endpoint(serviceId, vpce);

  before(async function () {
    emulator = await startEmulator({
      timing: {
        serviceInitiatingMs: 300,
        serviceDeletingMs: 300,
        endpointPendingAcceptanceMs: 300,
        endpointPendingMs: 300,
        endpointDeletingMs: 300,
      },
    });
    control = new EmulatorControl(emulator.baseUrl);
    fixture = {
      emulator,
      atlas: new AtlasTestClient(emulator.baseUrl, emulator.publicKey, emulator.privateKey),
      control: new ControlClient(emulator.baseUrl),
      paths: atlasPaths(emulator.projectId),
    };

    // The endpoint service and the link that get reads are made out of band, through the emulator's Atlas API.
    serviceId = await createReadyService(fixture);
    const created = await createEndpoint(fixture, serviceId, READ_VPCE);
    assert.equal(created.status, 200, created.text);
    await waitFor(
      () => readStatus(fixture, endpointPath(READ_VPCE), "connectionStatus"),
      (status) => status === "AVAILABLE",
    );

    stack = await PulumiStack.create({
      programDir: PROGRAM_DIR,
      config: { "mongodbatlas:baseUrl": emulator.baseUrl, "adopt-link-e2e:projectId": emulator.projectId },
      secretConfig: { "mongodbatlas:publicKey": emulator.publicKey, "mongodbatlas:privateKey": emulator.privateKey },
    });
  });

  afterEach(async function () {
    await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
  });

  after(async function () {
    await destroyStackAndCloseEmulator(stack, emulator);
  });

  async function endpointIds(): Promise<string[]> {
    return (await control.state()).endpoints.map((endpoint) => endpoint.interfaceEndpointId).sort();
  }

  function deletesOf(requests: EmulatorRequest[], vpce: string): EmulatorRequest[] {
    return requests.filter((request) => request.method === "DELETE" && request.path.endsWith(`/endpoint/${vpce}`));
  }

  it("get reads an existing link", async function () {
    await stack.setConfig("adopt-link-e2e:existingLinkId", linkId(READ_VPCE));
    await stack.up();
    const outputs = await stack.outputs();
    assert.equal(outputs.existingId, linkId(READ_VPCE));
    assert.equal(outputs.existingInterfaceEndpointId, READ_VPCE);
    assert.equal(outputs.existingStatus, "AVAILABLE");
    const existing = linkResource(await stack.resources(), "existing");
    assert.equal(existing?.external, true, "a resource read with get is external");
  });

  it("get of a malformed id shows the format", async function () {
    await stack.setConfig("adopt-link-e2e:existingLinkId", MALFORMED_ID);
    const result = await stack.up({ allowFailure: true });
    assert.notEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    assert.ok(output.includes(`Invalid PrivateEndpointInterfaceLink id "${MALFORMED_ID}"`), output);
    assert.ok(output.includes(ID_FORMAT_MESSAGE), output);
    await stack.setConfig("adopt-link-e2e:existingLinkId", linkId(READ_VPCE));
  });

  it("create of an existing link fails on 409", async function () {
    // The link to adopt is made out of band and held in PENDING, so a create that adopts it has to wait.
    const created = await createEndpoint(fixture, serviceId, ADOPTED_VPCE);
    assert.equal(created.status, 200, created.text);
    await control.forceInterfaceEndpoint(emulator.projectId, serviceId, ADOPTED_VPCE, {
      connectionStatus: "PENDING",
      hold: true,
    });
    await stack.setConfig("adopt-link-e2e:privateLinkId", serviceId);
    await stack.setConfig("adopt-link-e2e:interfaceEndpointId", ADOPTED_VPCE);

    const result = await stack.up({ allowFailure: true });
    assert.notEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    assert.ok(output.includes(`VPC endpoint ${ADOPTED_VPCE} is already attached to endpoint service`), output);
    assert.ok(output.includes("set adoptExisting: true on this resource"), output);
    assert.ok(output.includes(`PrivateEndpointInterfaceLink.get(name, "${linkId(ADOPTED_VPCE)}")`), output);
    assert.equal(linkResource(await stack.resources(), "adopted"), undefined, "the failed create is not tracked");
    assert.deepEqual(await endpointIds(), [READ_VPCE, ADOPTED_VPCE].sort());
    assert.deepEqual(deletesOf(await control.requests(), ADOPTED_VPCE), []);
  });

  it("adoptExisting adopts the link and waits until AVAILABLE", async function () {
    await stack.setConfig("adopt-link-e2e:adoptExisting", "true");
    await control.clearRequests();
    const up = stack.up();

    // Release the held link once the create has met the 409 and started polling the existing link.
    const isConflict = (request: EmulatorRequest) =>
      request.method === "POST" && request.path.endsWith("/endpoint") && request.status === 409;
    const isPoll = (request: EmulatorRequest) =>
      request.method === "GET" && request.path === endpointPath(ADOPTED_VPCE) && request.status === 200;
    await waitFor(
      () => control.requests(),
      (requests) => requests.some(isConflict) && requests.filter(isPoll).length >= 2,
      { timeoutMs: 5 * 60 * 1000, intervalMs: 200 },
    );
    await control.forceInterfaceEndpoint(emulator.projectId, serviceId, ADOPTED_VPCE, {
      connectionStatus: "AVAILABLE",
    });
    const result = await up;

    assert.ok(
      result.stdout.includes("found an existing link with connectionStatus PENDING, adopting it"),
      result.stdout,
    );
    const outputs = await stack.outputs();
    assert.equal(outputs.adoptedId, linkId(ADOPTED_VPCE));
    assert.equal(outputs.adoptedStatus, "AVAILABLE");
    assert.equal(outputs.adoptedAdoptExisting, true);
    const adopted = linkResource(await stack.resources(), "adopted");
    assert.equal(adopted?.external, undefined, "an adopted link is managed, not external");
    // A 401 is the digest authentication challenge that precedes the authenticated request.
    const posts = (await control.requests()).filter((request) => request.method === "POST" && request.status !== 401);
    assert.deepEqual(
      posts.map((request) => request.status),
      [409],
      "one create request, answered with 409",
    );
    assert.deepEqual(await endpointIds(), [READ_VPCE, ADOPTED_VPCE].sort());
  });

  it("changing adoptExisting alone updates in place", async function () {
    await stack.setConfig("adopt-link-e2e:adoptExisting", "false");
    const preview = await stack.preview();
    assert.match(preview.stdout, /~ 1 to update/);
    assert.doesNotMatch(preview.stdout, /to replace/);
    await control.clearRequests();
    await stack.up();
    assert.equal((await stack.outputs()).adoptedAdoptExisting, false);
    const requests = await control.requests();
    assert.deepEqual(deletesOf(requests, ADOPTED_VPCE), []);
    assert.deepEqual(
      requests.filter((request) => request.method === "POST"),
      [],
    );
    assert.deepEqual(await endpointIds(), [READ_VPCE, ADOPTED_VPCE].sort());
  });

  it("destroy deletes the adopted link and keeps the read one", async function () {
    await stack.destroy();
    assert.deepEqual(await endpointIds(), [READ_VPCE]);
    assert.equal(deletesOf(await control.requests(), READ_VPCE).length, 0);
    const resources = await stack.resources();
    assert.equal(linkResource(resources, "adopted"), undefined);
    assert.equal(linkResource(resources, "existing"), undefined);
  });
});
