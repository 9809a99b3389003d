import assert from "node:assert/strict";
import { atlasPaths, randomVpceId, waitFor } from "./support/atlasTestClient";
import { createEndpoint, createReadyService, readStatus, startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";

interface EndpointBody {
  interfaceEndpointId: string;
  connectionStatus: string;
  deleteRequested: boolean;
  errorMessage: string | null;
}

interface StateBody {
  now: string;
  timing: Record<string, number>;
  projects: {
    id: string;
    services: { id: string; status: string; hold: boolean; endpoints: (EndpointBody & { hold: boolean })[] }[];
  }[];
  outcomes: unknown[];
  faults: unknown[];
}

describe("emulator control interface", function () {
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

  async function endpoint(serviceId: string, vpceId: string): Promise<EndpointBody> {
    const response = await fixture.atlas.get(fixture.paths.endpoint(serviceId, vpceId));
    assert.equal(response.status, 200, response.text);
    return response.json as EndpointBody;
  }

  describe("basics", function () {
    it("health reports ok", async function () {
      const health = await fixture.control.ok<{ status: string; uptimeMs: number }>("GET", "health");
      assert.equal(health.status, "ok");
      assert.equal(typeof health.uptimeMs, "number");
    });

    it("unknown control route gets 404", async function () {
      const response = await fixture.control.call("GET", "nothing-here");
      assert.equal(response.status, 404);
      assert.equal(typeof (response.json as { error: string }).error, "string");
    });

    it("invalid JSON gets 400", async function () {
      const response = await fixture.control.call("POST", "outcomes", undefined);
      assert.equal(response.status, 400);
    });

    it("initial project exists", async function () {
      const projects = await fixture.control.ok<{ projects: { id: string }[] }>("GET", "projects");
      assert.deepEqual(
        projects.projects.map((project) => project.id),
        [fixture.emulator.projectId],
      );
    });

    it("creates a project with a given id", async function () {
      const id = "fedcba9876543210fedcba98";
      const created = await fixture.control.call("POST", "projects", { id });
      assert.equal(created.status, 201);
      assert.equal((created.json as { id: string }).id, id);
      const list = await fixture.atlas.get(atlasPaths(id).listServices);
      assert.equal(list.status, 200);
    });

    it("creates a project with a random id", async function () {
      const created = await fixture.control.ok<{ id: string }>("POST", "projects");
      assert.match(created.id, /^[0-9a-f]{24}$/);
    });

    it("rejects a duplicate or malformed project id", async function () {
      const duplicate = await fixture.control.call("POST", "projects", { id: fixture.emulator.projectId });
      assert.equal(duplicate.status, 409);
      const malformed = await fixture.control.call("POST", "projects", { id: "xyz" });
      assert.equal(malformed.status, 400);
    });

    it("state lists services and endpoints", async function () {
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      const state = await fixture.control.ok<StateBody>("GET", "state");
      assert.ok(!Number.isNaN(Date.parse(state.now)));
      assert.equal(state.timing.endpointPendingMs, 150);
      const project = state.projects.find((candidate) => candidate.id === fixture.emulator.projectId);
      assert.ok(project);
      assert.equal(project.services.length, 1);
      assert.equal(project.services[0].id, serviceId);
      assert.equal(project.services[0].hold, false);
      assert.equal(project.services[0].endpoints[0].interfaceEndpointId, vpceId);
      assert.equal(project.services[0].endpoints[0].hold, false);
    });

    it("timing accepts partial updates", async function () {
      const timing = await fixture.control.ok<Record<string, number>>("PUT", "timing", { endpointPendingMs: 25 });
      assert.equal(timing.endpointPendingMs, 25);
      assert.equal(timing.serviceInitiatingMs, 150);
      const read = await fixture.control.ok<Record<string, number>>("GET", "timing");
      assert.deepEqual(read, timing);
    });

    it("timing rejects bad values", async function () {
      assert.equal((await fixture.control.call("PUT", "timing", { endpointPendingMs: -1 })).status, 400);
      assert.equal((await fixture.control.call("PUT", "timing", { endpointPendingMs: "5" })).status, 400);
      assert.equal((await fixture.control.call("PUT", "timing", { somethingMs: 5 })).status, 400);
    });

    it("reset restores the initial state", async function () {
      await fixture.control.ok("PUT", "timing", { endpointPendingMs: 5 });
      await createReadyService(fixture);
      await fixture.control.ok("POST", "projects", { id: "0123456789abcdef01234567" });
      await fixture.control.ok("POST", "outcomes", {
        interfaceEndpointId: randomVpceId(),
        connectionStatus: "REJECTED",
      });
      await fixture.control.ok("POST", "faults", { path: "/nowhere", status: 500 });
      await fixture.control.ok("PUT", "rate-limit", { requestsPerSecond: 100 });
      const reset = await fixture.control.ok<{ projectId: string }>("POST", "reset");
      assert.equal(reset.projectId, fixture.emulator.projectId);
      const state = await fixture.control.ok<StateBody & { rateLimit: unknown }>("GET", "state");
      assert.deepEqual(
        state.projects.map((project) => ({ id: project.id, services: project.services })),
        [{ id: fixture.emulator.projectId, services: [] }],
      );
      assert.deepEqual(state.outcomes, []);
      assert.deepEqual(state.faults, []);
      assert.equal(state.rateLimit, null);
      assert.equal(state.timing.endpointPendingMs, 150);
      const requests = await fixture.control.ok<{ requests: unknown[] }>("GET", "requests");
      assert.deepEqual(requests.requests, []);
    });
  });

  describe("outcomes", function () {
    it("REJECTED outcome follows the pending phases", async function () {
      await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 600_000, endpointPendingMs: 600_000 });
      const vpceId = randomVpceId();
      const rule = await fixture.control.call("POST", "outcomes", {
        interfaceEndpointId: vpceId,
        connectionStatus: "REJECTED",
        errorMessage: "AWS rejected the connection",
      });
      assert.equal(rule.status, 201);
      const serviceId = await createReadyService(fixture);
      const created = await createEndpoint(fixture, serviceId, vpceId);
      assert.equal((created.json as EndpointBody).connectionStatus, "PENDING_ACCEPTANCE");

      await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 0 });
      const pending = await endpoint(serviceId, vpceId);
      assert.equal(pending.connectionStatus, "PENDING");
      assert.equal(pending.errorMessage, null);

      await fixture.control.ok("PUT", "timing", { endpointPendingMs: 0 });
      const final = await endpoint(serviceId, vpceId);
      assert.equal(final.connectionStatus, "REJECTED");
      assert.equal(final.errorMessage, "AWS rejected the connection");
      assert.equal(await readStatus(fixture, fixture.paths.service(serviceId), "status"), "WAITING_FOR_USER");
    });

    it("REJECTED outcome ends without AVAILABLE", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("POST", "outcomes", { interfaceEndpointId: vpceId, connectionStatus: "REJECTED" });
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, vpceId);
      const seen = new Set<string>();
      const final = await waitFor(
        async () => {
          const body = await endpoint(serviceId, vpceId);
          seen.add(body.connectionStatus);
          return body;
        },
        (body) => body.connectionStatus === "REJECTED",
      );
      assert.equal(final.errorMessage, null);
      assert.ok(!seen.has("AVAILABLE"), [...seen].join(", "));
    });

    it("held PENDING_ACCEPTANCE stays", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("POST", "outcomes", {
        interfaceEndpointId: vpceId,
        connectionStatus: "PENDING_ACCEPTANCE",
        hold: true,
      });
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, vpceId);
      // Wait past the normal pending time by waiting for a second endpoint, which has no rule, to finish.
      const other = randomVpceId();
      await createEndpoint(fixture, serviceId, other);
      await waitFor(
        () => endpoint(serviceId, other),
        (body) => body.connectionStatus === "AVAILABLE",
      );
      assert.equal((await endpoint(serviceId, vpceId)).connectionStatus, "PENDING_ACCEPTANCE");
      const state = await fixture.control.ok<StateBody>("GET", "state");
      const held = state.projects[0].services[0].endpoints.find((entry) => entry.interfaceEndpointId === vpceId);
      assert.equal(held?.hold, true);
    });

    it("pending error message shows on GET only", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 60_000 });
      await fixture.control.ok("POST", "outcomes", {
        interfaceEndpointId: vpceId,
        pendingErrorMessage: "vpce not found in AWS",
      });
      const serviceId = await createReadyService(fixture);
      const created = await createEndpoint(fixture, serviceId, vpceId);
      assert.equal((created.json as EndpointBody).errorMessage, null);
      const read = await endpoint(serviceId, vpceId);
      assert.equal(read.connectionStatus, "PENDING_ACCEPTANCE");
      assert.equal(read.errorMessage, "vpce not found in AWS");
    });

    it("pending error clears on AVAILABLE", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("POST", "outcomes", { interfaceEndpointId: vpceId, pendingErrorMessage: "transient" });
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, vpceId);
      const final = await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "AVAILABLE",
      );
      assert.equal(final.errorMessage, null);
    });

    it("error message on a held pending status", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("POST", "outcomes", {
        interfaceEndpointId: vpceId,
        connectionStatus: "PENDING",
        hold: true,
        errorMessage: "still waiting on AWS",
      });
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, vpceId);
      const held = await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "PENDING",
      );
      assert.equal(held.errorMessage, "still waiting on AWS");
    });

    it("unknown final status is reported as is", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("POST", "outcomes", { interfaceEndpointId: vpceId, connectionStatus: "RECREATING" });
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, vpceId);
      await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "RECREATING",
      );
    });

    it("times limits how often a rule applies", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 0 });
      await fixture.control.ok("POST", "outcomes", {
        interfaceEndpointId: vpceId,
        connectionStatus: "REJECTED",
        times: 1,
      });
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, vpceId);
      await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "REJECTED",
      );
      const rules = await fixture.control.ok<{ outcomes: unknown[] }>("GET", "outcomes");
      assert.deepEqual(rules.outcomes, []);
      await fixture.atlas.delete(fixture.paths.endpoint(serviceId, vpceId));
      assert.equal((await createEndpoint(fixture, serviceId, vpceId)).status, 200);
      await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "AVAILABLE",
      );
    });

    it("rules can be listed and removed", async function () {
      const first = randomVpceId();
      const second = randomVpceId();
      await fixture.control.ok("POST", "outcomes", { interfaceEndpointId: first, connectionStatus: "REJECTED" });
      await fixture.control.ok("POST", "outcomes", { interfaceEndpointId: second, connectionStatus: "REJECTED" });
      const listed = await fixture.control.ok<{ outcomes: { interfaceEndpointId: string }[] }>("GET", "outcomes");
      assert.deepEqual(
        listed.outcomes.map((rule) => rule.interfaceEndpointId),
        [first, second],
      );
      assert.equal((await fixture.control.call("DELETE", `outcomes/${first}`)).status, 200);
      assert.equal((await fixture.control.call("DELETE", `outcomes/${first}`)).status, 404);
      await fixture.control.ok("DELETE", "outcomes");
      const empty = await fixture.control.ok<{ outcomes: unknown[] }>("GET", "outcomes");
      assert.deepEqual(empty.outcomes, []);
    });

    it("invalid rules are rejected", async function () {
      const cases = [
        { interfaceEndpointId: "vpce-nothex", connectionStatus: "REJECTED" },
        { interfaceEndpointId: randomVpceId(), connectionStatus: "DELETING" },
        { interfaceEndpointId: randomVpceId(), connectionStatus: "rejected" },
        { interfaceEndpointId: randomVpceId(), hold: "yes" },
        { interfaceEndpointId: randomVpceId(), times: 0 },
      ];
      for (const body of cases) {
        const response = await fixture.control.call("POST", "outcomes", body);
        assert.equal(response.status, 400, JSON.stringify(body));
      }
    });
  });

  describe("force", function () {
    it("forced endpoint status with hold stays", async function () {
      await fixture.control.ok("PUT", "timing", { endpointPendingAcceptanceMs: 60_000 });
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      const forced = await fixture.control.ok<EndpointBody>(
        "POST",
        `projects/${fixture.emulator.projectId}/services/${serviceId}/endpoints/${vpceId}/force`,
        { connectionStatus: "REJECTED", errorMessage: "forced rejection", hold: true },
      );
      assert.equal(forced.connectionStatus, "REJECTED");
      const read = await endpoint(serviceId, vpceId);
      assert.equal(read.connectionStatus, "REJECTED");
      assert.equal(read.errorMessage, "forced rejection");
    });

    it("forced pending status continues without hold", async function () {
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "AVAILABLE",
      );
      await fixture.control.ok("PUT", "timing", { endpointPendingMs: 600_000 });
      const forced = await fixture.control.ok<EndpointBody>(
        "POST",
        `projects/${fixture.emulator.projectId}/services/${serviceId}/endpoints/${vpceId}/force`,
        { connectionStatus: "PENDING" },
      );
      assert.equal(forced.connectionStatus, "PENDING");
      assert.equal((await endpoint(serviceId, vpceId)).connectionStatus, "PENDING");
      await fixture.control.ok("PUT", "timing", { endpointPendingMs: 150 });
      await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "AVAILABLE",
      );
    });

    it("forced DELETING sets deleteRequested", async function () {
      await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 60_000 });
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      await fixture.control.ok(
        "POST",
        `projects/${fixture.emulator.projectId}/services/${serviceId}/endpoints/${vpceId}/force`,
        { connectionStatus: "DELETING" },
      );
      const read = await endpoint(serviceId, vpceId);
      assert.equal(read.connectionStatus, "DELETING");
      assert.equal(read.deleteRequested, true);
    });

    it("forced service FAILED with a message", async function () {
      const serviceId = await createReadyService(fixture);
      await fixture.control.ok("POST", `projects/${fixture.emulator.projectId}/services/${serviceId}/force`, {
        status: "FAILED",
        errorMessage: "load balancer creation failed",
      });
      const service = (await fixture.atlas.get(fixture.paths.service(serviceId))).json as {
        status: string;
        errorMessage: string;
      };
      assert.equal(service.status, "FAILED");
      assert.equal(service.errorMessage, "load balancer creation failed");
      const response = await createEndpoint(fixture, serviceId, randomVpceId());
      assert.equal(response.status, 409);
    });

    it("forced service INITIATING without hold recovers", async function () {
      const serviceId = await createReadyService(fixture);
      await fixture.control.ok("PUT", "timing", { serviceInitiatingMs: 600_000 });
      await fixture.control.ok("POST", `projects/${fixture.emulator.projectId}/services/${serviceId}/force`, {
        status: "INITIATING",
      });
      const path = fixture.paths.service(serviceId);
      const initiating = (await fixture.atlas.get(path)).json as { status: string; endpointServiceName: unknown };
      assert.equal(initiating.status, "INITIATING");
      assert.equal(initiating.endpointServiceName, null);
      await fixture.control.ok("PUT", "timing", { serviceInitiatingMs: 150 });
      await waitFor(
        () => readStatus(fixture, path, "status"),
        (status) => status === "WAITING_FOR_USER",
      );
    });

    it("held service status ignores endpoints", async function () {
      const serviceId = await createReadyService(fixture);
      await fixture.control.ok("POST", `projects/${fixture.emulator.projectId}/services/${serviceId}/force`, {
        status: "WAITING_FOR_USER",
        hold: true,
      });
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      await waitFor(
        () => endpoint(serviceId, vpceId),
        (body) => body.connectionStatus === "AVAILABLE",
      );
      assert.equal(await readStatus(fixture, fixture.paths.service(serviceId), "status"), "WAITING_FOR_USER");
    });

    it("force on an unknown object gets 404", async function () {
      const response = await fixture.control.call(
        "POST",
        `projects/${fixture.emulator.projectId}/services/aaaaaaaaaaaaaaaaaaaaaaaa/force`,
        { status: "FAILED" },
      );
      assert.equal(response.status, 404);
      assert.equal((response.json as { errorCode: string }).errorCode, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND");
    });

    it("force needs a status", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await fixture.control.call(
        "POST",
        `projects/${fixture.emulator.projectId}/services/${serviceId}/force`,
        { hold: true },
      );
      assert.equal(response.status, 400);
    });
  });

  describe("out-of-band delete", function () {
    it("endpoint is gone at once", async function () {
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      const removed = await fixture.control.call(
        "DELETE",
        `projects/${fixture.emulator.projectId}/services/${serviceId}/endpoints/${vpceId}`,
      );
      assert.equal(removed.status, 200);
      assert.equal((await fixture.atlas.get(fixture.paths.endpoint(serviceId, vpceId))).status, 404);
      const service = (await fixture.atlas.get(fixture.paths.service(serviceId))).json as {
        interfaceEndpoints: string[];
      };
      assert.deepEqual(service.interfaceEndpoints, []);
    });

    it("service and its endpoints are gone at once", async function () {
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, randomVpceId());
      const removed = await fixture.control.call(
        "DELETE",
        `projects/${fixture.emulator.projectId}/services/${serviceId}`,
      );
      assert.equal(removed.status, 200);
      assert.equal((await fixture.atlas.get(fixture.paths.service(serviceId))).status, 404);
    });

    it("unknown endpoint gets 404", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await fixture.control.call(
        "DELETE",
        `projects/${fixture.emulator.projectId}/services/${serviceId}/endpoints/${randomVpceId()}`,
      );
      assert.equal(response.status, 404);
    });
  });
});
