import * as assert from "node:assert/strict";

import { startEmulator } from "../../../emulator";
import type { RunningEmulator } from "../../../emulator";
import { AtlasApiError, AtlasClient } from "../../../provider/atlas";
import type { PrivateEndpointApi } from "../../../provider/atlas";
import { rejectionOf } from "./support/fixtures";

const VPCE_ID = "vpce-0a1b2c3d4e5f67890";
const UNKNOWN_SERVICE_ID = "0123456789abcdef01234567";

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** Sends a request to the emulator's control interface and returns the parsed JSON body. */
async function control(emulator: RunningEmulator, method: string, route: string): Promise<unknown> {
  const response = await fetch(`${emulator.baseUrl}/__emulator/${route}`, { method });
  const text = await response.text();
  assert.ok(response.ok, `control ${method} ${route} returned ${response.status}: ${text}`);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

// The emulator serves the v1.0 and v2 routes over the same objects, so the legacy client must return what the v2
// client returns for them.
describe("AtlasClient legacy API against the emulator", () => {
  let emulator: RunningEmulator;

  function clientFor(privateEndpointApi: PrivateEndpointApi): AtlasClient {
    const { baseUrl, publicKey, privateKey } = emulator;
    return new AtlasClient({ baseUrl, publicKey, privateKey, privateEndpointApi });
  }

  before(async () => {
    // A new service is ready at once. A new endpoint stays in NONE, and a deleted one in DELETING, for ten minutes.
    emulator = await startEmulator({
      timing: { serviceInitiatingMs: 0, endpointNoneMs: 600_000, endpointDeletingMs: 600_000 },
    });
  });

  after(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    await control(emulator, "POST", "reset");
  });

  it("creates a service in the v2 shape", async () => {
    const service = await clientFor("legacy").createEndpointService(emulator.projectId, "eu-west-2");

    assert.match(service.id, /^[0-9a-f]{24}$/);
    assert.equal(service.cloudProvider, "AWS");
    assert.equal(service.regionName, "EU_WEST_2");
    assert.deepEqual(service.interfaceEndpoints, []);
  });

  it("reads a service as the v2 client does", async () => {
    const { id } = await clientFor("legacy").createEndpointService(emulator.projectId, "us-east-1");

    const legacy = await clientFor("legacy").getEndpointService(emulator.projectId, id);
    const v2 = await clientFor("v2").getEndpointService(emulator.projectId, id);

    assert.deepEqual(legacy, v2);
    assert.equal(legacy.status, "WAITING_FOR_USER");
  });

  it("lists services as the v2 client does", async () => {
    await clientFor("legacy").createEndpointService(emulator.projectId, "us-east-1");
    await clientFor("legacy").createEndpointService(emulator.projectId, "eu-west-1");

    const legacy = await clientFor("legacy").listEndpointServices(emulator.projectId);
    const v2 = await clientFor("v2").listEndpointServices(emulator.projectId);

    assert.equal(legacy.length, 2);
    assert.deepEqual(legacy, v2);
  });

  it("creates an interface endpoint in NONE", async () => {
    const client = clientFor("legacy");
    const { id } = await client.createEndpointService(emulator.projectId, "us-east-1");

    const endpoint = await client.createInterfaceEndpoint(emulator.projectId, id, VPCE_ID);

    assert.deepEqual(endpoint, {
      cloudProvider: "AWS",
      interfaceEndpointId: VPCE_ID,
      connectionStatus: "NONE",
      deleteRequested: false,
      errorMessage: null,
    });
  });

  it("reads an interface endpoint as the v2 client does", async () => {
    const { id } = await clientFor("legacy").createEndpointService(emulator.projectId, "us-east-1");
    await clientFor("legacy").createInterfaceEndpoint(emulator.projectId, id, VPCE_ID);

    const legacy = await clientFor("legacy").getInterfaceEndpoint(emulator.projectId, id, VPCE_ID);
    const v2 = await clientFor("v2").getInterfaceEndpoint(emulator.projectId, id, VPCE_ID);

    assert.deepEqual(legacy, v2);
    assert.equal(legacy.connectionStatus, "NONE");
  });

  it("deletes an interface endpoint", async () => {
    const client = clientFor("legacy");
    const { id } = await client.createEndpointService(emulator.projectId, "us-east-1");
    await client.createInterfaceEndpoint(emulator.projectId, id, VPCE_ID);

    await client.deleteInterfaceEndpoint(emulator.projectId, id, VPCE_ID);

    const endpoint = await client.getInterfaceEndpoint(emulator.projectId, id, VPCE_ID);
    assert.equal(endpoint.connectionStatus, "DELETING");
    assert.equal(endpoint.deleteRequested, true);
  });

  it("deletes a service without endpoints", async () => {
    const client = clientFor("legacy");
    const { id } = await client.createEndpointService(emulator.projectId, "us-east-1");

    await client.deleteEndpointService(emulator.projectId, id);

    const service = await client.getEndpointService(emulator.projectId, id);
    assert.equal(service.status, "DELETING");
  });

  it("rejects an unknown service with 404", async () => {
    const err = await rejectionOf(clientFor("legacy").getEndpointService(emulator.projectId, UNKNOWN_SERVICE_ID));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 404);
    assert.equal(err.errorCode, "PRIVATELINK_NOT_FOUND");
  });

  it("sends only v1.0 requests", async () => {
    const client = clientFor("legacy");
    const { id } = await client.createEndpointService(emulator.projectId, "us-east-1");
    await client.createInterfaceEndpoint(emulator.projectId, id, VPCE_ID);
    await client.getInterfaceEndpoint(emulator.projectId, id, VPCE_ID);
    await client.listEndpointServices(emulator.projectId);

    const requests = ((await control(emulator, "GET", "requests")) as { requests: LoggedRequest[] }).requests;

    const paths = requests.filter((request) => request.status !== 401).map((request) => request.path);
    const group = `/api/atlas/v1.0/groups/${emulator.projectId}/privateEndpoint`;
    assert.deepEqual(paths, [
      group,
      `${group}/${id}/interfaceEndpoints`,
      `${group}/${id}/interfaceEndpoints/${VPCE_ID}`,
      group,
    ]);
  });
});
