import assert from "node:assert/strict";
import type { EndpointService } from "../../provider/atlas";
import { PrivateEndpointProvider } from "../../provider/privateEndpoint";
import type { PrivateEndpointOutputs } from "../../provider/privateEndpoint";
import { rejectionOf } from "./support/assertions";
import {
  atlasError,
  collectLog,
  endpoint,
  FakeClock,
  IDS,
  listingNotFound,
  notFound,
  service,
  stubAtlasApi,
} from "./support/fakeAtlas";

const SERVICE_ID = IDS.privateLinkId;
const ENDPOINT_ID = `${IDS.projectId}--${SERVICE_ID}--AWS--us-east-1`;
const SERVICE_NAME = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718";
const VPCE_A = "vpce-0a1b2c3d4e5f6071a";
const VPCE_B = "vpce-0a1b2c3d4e5f6071b";
const LABEL = `PrivateEndpoint ${IDS.projectId}/${SERVICE_ID} (us-east-1)`;
const UNCONFIRMED = `PrivateEndpoint ${ENDPOINT_ID}: Atlas returned 404 for the endpoint service, and listing the `;

const OUTPUTS: PrivateEndpointOutputs = {
  projectId: IDS.projectId,
  providerName: "AWS",
  region: "us-east-1",
  privateLinkId: SERVICE_ID,
  endpointServiceName: SERVICE_NAME,
  status: "AVAILABLE",
  errorMessage: null,
  interfaceEndpoints: [],
  regionName: "US_EAST_1",
};

function setup() {
  const api = stubAtlasApi();
  // The listing succeeds, so each 404 of the service counts as confirmed unless a test overrides it.
  api.listEndpointServices.resolves([]);
  const clock = new FakeClock();
  const log = collectLog();
  const provider = new PrivateEndpointProvider({ api, clock, log: log.write });
  return { api, clock, log, provider };
}

function listing(...interfaceEndpoints: string[]): EndpointService {
  return { ...service(SERVICE_ID, "AVAILABLE", SERVICE_NAME), interfaceEndpoints };
}

function conflict() {
  return atlasError(409, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS", "The service still has interface endpoints.");
}

describe("PrivateEndpointProvider delete with interface endpoints", () => {
  it("waits for deleting endpoints, then deletes again", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.onCall(0).rejects(conflict());
    api.deleteEndpointService.onCall(1).resolves();
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(1).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(2).resolves(listing());
    api.getEndpointService.onCall(3).rejects(notFound());
    api.getInterfaceEndpoint.resolves(endpoint(VPCE_A, "DELETING"));
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.equal(api.deleteEndpointService.callCount, 2);
    assert.equal(api.getEndpointService.callCount, 4);
  });

  it("prints how many endpoints it waits for", async () => {
    const { api, provider, log } = setup();
    api.deleteEndpointService.onCall(0).rejects(conflict());
    api.deleteEndpointService.onCall(1).rejects(notFound());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A, VPCE_B));
    api.getEndpointService.onCall(1).resolves(listing(VPCE_B));
    api.getEndpointService.onCall(2).resolves(listing());
    api.getInterfaceEndpoint.callsFake((_project, _service, id) => Promise.resolve(endpoint(id, "DELETING")));
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    const waits = log.lines.filter((line) => line.includes("to finish deleting"));
    assert.deepEqual(waits, [
      `${LABEL} waiting for 2 interface endpoints to finish deleting: ${VPCE_A}, ${VPCE_B} (0.0s elapsed)`,
      `${LABEL} waiting for 1 interface endpoint to finish deleting (1.0s elapsed)`,
    ]);
  });

  it("counts deleteRequested as being deleted", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.onCall(0).rejects(conflict());
    api.deleteEndpointService.onCall(1).rejects(notFound());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(1).resolves(listing());
    api.getInterfaceEndpoint.resolves({ ...endpoint(VPCE_A, "AVAILABLE"), deleteRequested: true });
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.equal(api.deleteEndpointService.callCount, 2);
  });

  it("names endpoints that are not being deleted", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.resolves(listing(VPCE_A, VPCE_B));
    api.getInterfaceEndpoint.callsFake((_project, _service, id) =>
      Promise.resolve(endpoint(id, id === VPCE_A ? "DELETING" : "AVAILABLE")),
    );
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, OUTPUTS));
    assert.ok(err.message.includes(`interface endpoints that are not being deleted: ${VPCE_B} (AVAILABLE).`));
    assert.ok(err.message.includes("CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS"), err.message);
    assert.equal(api.deleteEndpointService.callCount, 1);
  });

  it("skips listed endpoints that are gone", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.onCall(0).rejects(conflict());
    api.deleteEndpointService.onCall(1).rejects(notFound());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(1).resolves(listing());
    api.getInterfaceEndpoint.rejects(notFound());
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.equal(api.deleteEndpointService.callCount, 2);
  });

  it("finishes when the service disappears while waiting", async () => {
    const { api, provider, log } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(1).rejects(notFound());
    api.getInterfaceEndpoint.resolves(endpoint(VPCE_A, "DELETING"));
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.equal(api.deleteEndpointService.callCount, 1);
    assert.match(log.lines[log.lines.length - 1], / deleted \(/);
  });

  it("confirms a 404 while waiting", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(1).rejects(notFound());
    api.getInterfaceEndpoint.resolves(endpoint(VPCE_A, "DELETING"));
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.deepEqual(api.listEndpointServices.args, [[IDS.projectId]]);
  });

  it("keeps the service after an unconfirmed 404 while waiting", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.onCall(1).rejects(notFound());
    api.getInterfaceEndpoint.resolves(endpoint(VPCE_A, "DELETING"));
    api.listEndpointServices.rejects(listingNotFound());
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, OUTPUTS));
    assert.equal(err.name, "UnconfirmedNotFoundError");
    assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
    assert.equal(api.getEndpointService.callCount, 2);
  });

  it("finishes after a confirmed 404 to the read after a 409", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.rejects(notFound());
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.equal(api.deleteEndpointService.callCount, 1);
    assert.equal(api.listEndpointServices.callCount, 1);
  });

  it("keeps the service after an unconfirmed 404 to the read after a 409", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.rejects(notFound());
    api.listEndpointServices.rejects(listingNotFound());
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, OUTPUTS));
    assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
    assert.ok(err.message.includes("The endpoint service is kept in the state."), err.message);
  });

  it("times out with the endpoints still listed", async () => {
    const { api, provider, clock } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.resolves(listing(VPCE_A));
    api.getInterfaceEndpoint.resolves(endpoint(VPCE_A, "DELETING"));
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, { ...OUTPUTS, timeouts: { delete: "10m" } }));
    assert.match(err.message, new RegExp(`^Timed out after 10m waiting for Atlas to delete PrivateEndpoint `));
    assert.ok(err.message.includes(`still lists 1 interface endpoint (${VPCE_A}) that Atlas is still deleting`));
    assert.equal(clock.now() - 1_000_000, 600_000);
  });

  it("deletes again after a 409 with an empty list", async () => {
    const { api, provider, clock } = setup();
    api.deleteEndpointService.onCall(0).rejects(conflict());
    api.deleteEndpointService.onCall(1).rejects(conflict());
    api.deleteEndpointService.onCall(2).rejects(notFound());
    api.getEndpointService.resolves(listing());
    await provider.delete(ENDPOINT_ID, OUTPUTS);
    assert.equal(api.deleteEndpointService.callCount, 3);
    assert.deepEqual(clock.sleeps, [1000, 2000]);
  });

  it("checks an endpoint added while waiting", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.onCall(0).resolves(listing(VPCE_A));
    api.getEndpointService.resolves(listing(VPCE_A, VPCE_B));
    api.getInterfaceEndpoint.callsFake((_project, _service, id) =>
      Promise.resolve(endpoint(id, id === VPCE_A ? "DELETING" : "PENDING_ACCEPTANCE")),
    );
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, OUTPUTS));
    assert.ok(err.message.includes(`not being deleted: ${VPCE_B} (PENDING_ACCEPTANCE)`), err.message);
    assert.equal(api.deleteEndpointService.callCount, 2);
  });

  it("rejects when the service cannot be read after a 409", async () => {
    const { api, provider } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.rejects(atlasError(403, "ACCESS_FORBIDDEN", "no access"));
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, OUTPUTS));
    assert.match(err.message, /^Failed to read PrivateEndpoint .* after Atlas rejected its deletion .*no access/);
  });

  it("logs the failure with the ids", async () => {
    const { api, provider, log } = setup();
    api.deleteEndpointService.rejects(conflict());
    api.getEndpointService.resolves(listing(VPCE_A));
    api.getInterfaceEndpoint.resolves(endpoint(VPCE_A, "AVAILABLE"));
    const err = await rejectionOf(provider.delete(ENDPOINT_ID, OUTPUTS));
    assert.equal(log.lines[log.lines.length - 1], `${LABEL} delete failed: ${err.message} (0.0s elapsed)`);
  });
});
