import assert from "node:assert/strict";
import { randomVpceId, waitFor } from "./support/atlasTestClient";
import { createEndpoint, createReadyService, readStatus, startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";

interface ServiceBody {
  id: string;
  cloudProvider: string;
  endpointServiceName: string | null;
  errorMessage: string | null;
  interfaceEndpoints: string[];
  regionName: string;
  status: string;
}

interface EndpointBody {
  cloudProvider: string;
  interfaceEndpointId: string;
  connectionStatus: string;
  deleteRequested: boolean;
  errorMessage: string | null;
}

describe("emulator lifecycle", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture();
  });

  after(async function () {
    await fixture.emulator.close();
  });

  afterEach(async function () {
    await fixture.control.ok("POST", "reset");
  });

  it("service starts INITIATING without a name", async function () {
    const response = await fixture.atlas.post(fixture.paths.createService, {
      providerName: "AWS",
      region: "us-east-1",
    });
    assert.equal(response.status, 200);
    assert.match(String(response.headers["content-type"]), /^application\/vnd\.atlas\.2023-01-01\+json/);
    const service = response.json as ServiceBody;
    assert.match(service.id, /^[0-9a-f]{24}$/);
    assert.equal(service.cloudProvider, "AWS");
    assert.equal(service.status, "INITIATING");
    assert.equal(service.endpointServiceName, null);
    assert.equal(service.errorMessage, null);
    assert.deepEqual(service.interfaceEndpoints, []);
    assert.equal(service.regionName, "US_EAST_1");
  });

  it("service becomes WAITING_FOR_USER with a name", async function () {
    const serviceId = await createReadyService(fixture, "eu-west-2");
    const response = await fixture.atlas.get(fixture.paths.service(serviceId));
    const service = response.json as ServiceBody;
    assert.equal(service.status, "WAITING_FOR_USER");
    assert.match(String(service.endpointServiceName), /^com\.amazonaws\.vpce\.eu-west-2\.vpce-svc-[0-9a-f]{17}$/);
    assert.equal(service.regionName, "EU_WEST_2");
  });

  it("Atlas region names are accepted", async function () {
    const response = await fixture.atlas.post(fixture.paths.createService, {
      providerName: "AWS",
      region: "AP_SOUTHEAST_2",
    });
    assert.equal(response.status, 200);
    assert.equal((response.json as ServiceBody).regionName, "AP_SOUTHEAST_2");
  });

  it("service list is a bare array", async function () {
    const first = await createReadyService(fixture, "us-east-1");
    const second = await createReadyService(fixture, "us-west-2");
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(response.json));
    assert.deepEqual(
      (response.json as ServiceBody[]).map((service) => service.id),
      [first, second],
    );
  });

  it("endpoint steps through pending to AVAILABLE", async function () {
    await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 600_000, endpointPendingMs: 600_000 });
    const serviceId = await createReadyService(fixture);
    const vpceId = randomVpceId();
    const created = await createEndpoint(fixture, serviceId, vpceId);
    assert.equal(created.status, 200);
    const endpoint = created.json as EndpointBody;
    assert.deepEqual(endpoint, {
      cloudProvider: "AWS",
      interfaceEndpointId: vpceId,
      connectionStatus: "PENDING_ACCEPTANCE",
      deleteRequested: false,
      errorMessage: null,
    });
    assert.ok(!("id" in endpoint));

    const path = fixture.paths.endpoint(serviceId, vpceId);
    assert.equal(await readStatus(fixture, path, "connectionStatus"), "PENDING_ACCEPTANCE");
    await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 0 });
    assert.equal(await readStatus(fixture, path, "connectionStatus"), "PENDING");
    await fixture.control.ok("PUT", "timing", { endpointPendingMs: 0 });
    assert.equal(await readStatus(fixture, path, "connectionStatus"), "AVAILABLE");
  });

  it("endpoint reaches AVAILABLE on its own", async function () {
    const serviceId = await createReadyService(fixture);
    const vpceId = randomVpceId();
    await createEndpoint(fixture, serviceId, vpceId);
    const final = await waitFor(
      async () => (await fixture.atlas.get(fixture.paths.endpoint(serviceId, vpceId))).json as EndpointBody,
      (body) => body.connectionStatus === "AVAILABLE",
    );
    assert.equal(final.errorMessage, null);
    assert.equal(final.deleteRequested, false);
  });

  it("service lists the endpoint and becomes AVAILABLE", async function () {
    await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 600_000 });
    const serviceId = await createReadyService(fixture);
    const vpceId = randomVpceId();
    await createEndpoint(fixture, serviceId, vpceId);
    const pending = (await fixture.atlas.get(fixture.paths.service(serviceId))).json as ServiceBody;
    assert.deepEqual(pending.interfaceEndpoints, [vpceId]);
    assert.equal(pending.status, "WAITING_FOR_USER");
    await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 150 });
    await waitFor(
      () => readStatus(fixture, fixture.paths.service(serviceId), "status"),
      (status) => status === "AVAILABLE",
    );
  });

  it("deleted endpoint shows DELETING then 404", async function () {
    await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 600_000 });
    const serviceId = await createReadyService(fixture);
    const vpceId = randomVpceId();
    await createEndpoint(fixture, serviceId, vpceId);
    const path = fixture.paths.endpoint(serviceId, vpceId);
    await waitFor(
      () => readStatus(fixture, path, "connectionStatus"),
      (status) => status === "AVAILABLE",
    );

    const deleted = await fixture.atlas.delete(path);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    const deleting = (await fixture.atlas.get(path)).json as EndpointBody;
    assert.equal(deleting.connectionStatus, "DELETING");
    assert.equal(deleting.deleteRequested, true);

    await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 150 });
    await waitFor(
      () => readStatus(fixture, path, "connectionStatus"),
      (status) => status === 404,
    );
    const gone = await fixture.atlas.get(path);
    assert.equal((gone.json as { error: number }).error, 404);
  });

  it("service returns to WAITING_FOR_USER without endpoints", async function () {
    const serviceId = await createReadyService(fixture);
    const vpceId = randomVpceId();
    await createEndpoint(fixture, serviceId, vpceId);
    const servicePath = fixture.paths.service(serviceId);
    await waitFor(
      () => readStatus(fixture, servicePath, "status"),
      (status) => status === "AVAILABLE",
    );
    await fixture.atlas.delete(fixture.paths.endpoint(serviceId, vpceId));
    const service = await waitFor(
      async () => (await fixture.atlas.get(servicePath)).json as ServiceBody,
      (body) => body.interfaceEndpoints.length === 0,
    );
    assert.equal(service.status, "WAITING_FOR_USER");
  });

  it("deleting an endpoint twice keeps it DELETING", async function () {
    await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 60_000 });
    const serviceId = await createReadyService(fixture);
    const vpceId = randomVpceId();
    await createEndpoint(fixture, serviceId, vpceId);
    const path = fixture.paths.endpoint(serviceId, vpceId);
    assert.equal((await fixture.atlas.delete(path)).status, 204);
    assert.equal((await fixture.atlas.delete(path)).status, 204);
    assert.equal(await readStatus(fixture, path, "connectionStatus"), "DELETING");
  });

  it("deleted service shows DELETING then 404", async function () {
    await fixture.control.ok("PUT", "timing", { serviceDeletingMs: 600_000 });
    const serviceId = await createReadyService(fixture);
    const path = fixture.paths.service(serviceId);
    const deleted = await fixture.atlas.delete(path);
    assert.equal(deleted.status, 204);
    assert.equal(await readStatus(fixture, path, "status"), "DELETING");
    await fixture.control.ok("PUT", "timing", { serviceDeletingMs: 150 });
    await waitFor(
      () => readStatus(fixture, path, "status"),
      (status) => status === 404,
    );
    const list = await fixture.atlas.get(fixture.paths.listServices);
    assert.deepEqual(list.json, []);
  });

  it("region is free again after the service is gone", async function () {
    const serviceId = await createReadyService(fixture);
    await fixture.atlas.delete(fixture.paths.service(serviceId));
    await waitFor(
      () => readStatus(fixture, fixture.paths.service(serviceId), "status"),
      (status) => status === 404,
    );
    const again = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region: "us-east-1" });
    assert.equal(again.status, 200);
  });

  it("timing change applies to the phase in progress", async function () {
    await fixture.control.ok("PUT", "timing", { serviceInitiatingMs: 600_000 });
    const created = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region: "us-east-1" });
    const path = fixture.paths.service((created.json as ServiceBody).id);
    assert.equal(await readStatus(fixture, path, "status"), "INITIATING");
    await fixture.control.ok("PUT", "timing", { serviceInitiatingMs: 0 });
    assert.equal(await readStatus(fixture, path, "status"), "WAITING_FOR_USER");
  });

  it("zero durations settle within the request", async function () {
    await fixture.control.ok("PUT", "timing", {
      serviceInitiatingMs: 0,
      endpointPendingAcceptanceMs: 0,
      endpointPendingMs: 0,
      endpointDeletingMs: 0,
    });
    const created = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region: "us-east-1" });
    assert.equal((created.json as ServiceBody).status, "WAITING_FOR_USER");
    const serviceId = (created.json as ServiceBody).id;
    const vpceId = randomVpceId();
    const endpoint = await createEndpoint(fixture, serviceId, vpceId);
    assert.equal((endpoint.json as EndpointBody).connectionStatus, "AVAILABLE");
    await fixture.atlas.delete(fixture.paths.endpoint(serviceId, vpceId));
    assert.equal((await fixture.atlas.get(fixture.paths.endpoint(serviceId, vpceId))).status, 404);
  });
});

describe("emulator removeServiceWithLastEndpoint", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture({ removeServiceWithLastEndpoint: true });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  it("last endpoint deletion removes the service", async function () {
    const serviceId = await createReadyService(fixture);
    const first = randomVpceId();
    const second = randomVpceId();
    await createEndpoint(fixture, serviceId, first);
    await createEndpoint(fixture, serviceId, second);
    await fixture.atlas.delete(fixture.paths.endpoint(serviceId, first));
    await waitFor(
      () => readStatus(fixture, fixture.paths.endpoint(serviceId, first), "connectionStatus"),
      (status) => status === 404,
    );
    const remaining = await fixture.atlas.get(fixture.paths.service(serviceId));
    assert.equal(remaining.status, 200);
    assert.deepEqual((remaining.json as ServiceBody).interfaceEndpoints, [second]);

    await fixture.atlas.delete(fixture.paths.endpoint(serviceId, second));
    await waitFor(
      () => readStatus(fixture, fixture.paths.service(serviceId), "status"),
      (status) => status === 404,
    );
  });

  it("state reports the option", async function () {
    const state = await fixture.control.ok<{ removeServiceWithLastEndpoint: boolean }>("GET", "state");
    assert.equal(state.removeServiceWithLastEndpoint, true);
  });
});
