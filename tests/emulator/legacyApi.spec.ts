import assert from "node:assert/strict";
import { ATLAS_ACCEPT, atlasPaths, parseChallenge, randomVpceId, rawRequest, waitFor } from "./support/atlasTestClient";
import type { RawResponse } from "./support/atlasTestClient";
import { createEndpoint, createReadyService, startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";
import { legacyPaths } from "./support/oauthTestClient";

interface LegacyPrivateEndpoint {
  id: string;
  endpointServiceName: string | null;
  errorMessage: string | null;
  interfaceEndpoints: string[];
  status: string;
}

interface LegacyInterfaceEndpoint {
  interfaceEndpointId: string;
  connectionStatus: string;
  deleteRequested: boolean;
  errorMessage: string | null;
}

interface ErrorBody {
  error: number;
  errorCode: string;
  parameters: unknown[];
}

/** Checks an Atlas error status and code and returns the body. */
function assertError(response: RawResponse, status: number, errorCode: string): ErrorBody {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers["content-type"], "application/json");
  const body = response.json as ErrorBody;
  assert.equal(body.error, status);
  assert.equal(body.errorCode, errorCode);
  return body;
}

const UNKNOWN_ID = "aaaaaaaaaaaaaaaaaaaaaaaa";

describe("emulator legacy v1.0 API", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;
  let paths: ReturnType<typeof legacyPaths>;

  before(async function () {
    fixture = await startFixture();
    paths = legacyPaths(fixture.emulator.projectId);
  });

  after(async function () {
    await fixture.emulator.close();
  });

  afterEach(async function () {
    await fixture.control.ok("POST", "reset");
  });

  function legacy(method: string, path: string, body?: unknown): Promise<RawResponse> {
    return fixture.atlas.request(method, path, { accept: "application/json", body });
  }

  async function createPrivateEndpoint(region = "us-east-1"): Promise<LegacyPrivateEndpoint> {
    const response = await legacy("POST", paths.root, { providerName: "AWS", region });
    assert.equal(response.status, 201, response.text);
    return response.json as LegacyPrivateEndpoint;
  }

  async function createReadyPrivateEndpoint(region = "us-east-1"): Promise<string> {
    const { id } = await createPrivateEndpoint(region);
    await waitFor(
      async () => ((await legacy("GET", paths.privateLink(id))).json as LegacyPrivateEndpoint).status,
      (status) => status === "WAITING_FOR_USER",
    );
    return id;
  }

  async function readInterfaceEndpoint(privateLinkId: string, vpceId: string): Promise<LegacyInterfaceEndpoint> {
    const response = await legacy("GET", paths.interfaceEndpoint(privateLinkId, vpceId));
    assert.equal(response.status, 200, response.text);
    return response.json as LegacyInterfaceEndpoint;
  }

  describe("private endpoints", function () {
    it("create returns 201 with the legacy fields", async function () {
      const response = await legacy("POST", paths.root, { providerName: "AWS", region: "us-east-1" });
      assert.equal(response.status, 201);
      assert.equal(response.headers["content-type"], "application/json");
      const body = response.json as LegacyPrivateEndpoint;
      assert.deepEqual(Object.keys(body).sort(), [
        "endpointServiceName",
        "errorMessage",
        "id",
        "interfaceEndpoints",
        "status",
      ]);
      assert.match(body.id, /^[0-9a-f]{24}$/);
      assert.equal(body.status, "INITIATING");
      assert.equal(body.endpointServiceName, null);
      assert.deepEqual(body.interfaceEndpoints, []);
    });

    it("private endpoint is a v2 endpoint service", async function () {
      const created = await createPrivateEndpoint("eu-west-1");
      const response = await fixture.atlas.get(fixture.paths.service(created.id));
      assert.equal(response.status, 200);
      const service = response.json as { id: string; regionName: string };
      assert.equal(service.id, created.id);
      assert.equal(service.regionName, "EU_WEST_1");
    });

    it("v2 service reads as private endpoint", async function () {
      const serviceId = await createReadyService(fixture);
      const body = (await legacy("GET", paths.privateLink(serviceId))).json as LegacyPrivateEndpoint;
      assert.equal(body.id, serviceId);
      assert.equal(body.status, "WAITING_FOR_USER");
      assert.match(String(body.endpointServiceName), /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
    });

    it("list returns a bare array", async function () {
      const created = await createPrivateEndpoint();
      const response = await legacy("GET", paths.root);
      assert.equal(response.status, 200);
      const list = response.json as LegacyPrivateEndpoint[];
      assert.deepEqual(
        list.map((entry) => entry.id),
        [created.id],
      );
    });

    it("Atlas region form is accepted", async function () {
      const created = await createPrivateEndpoint("AP_SOUTHEAST_2");
      const service = (await fixture.atlas.get(fixture.paths.service(created.id))).json as { regionName: string };
      assert.equal(service.regionName, "AP_SOUTHEAST_2");
    });

    it("gov region is accepted", async function () {
      const id = await createReadyPrivateEndpoint("us-gov-west-1");
      const body = (await legacy("GET", paths.privateLink(id))).json as LegacyPrivateEndpoint;
      assert.match(String(body.endpointServiceName), /^com\.amazonaws\.vpce\.us-gov-west-1\.vpce-svc-/);
      const service = (await fixture.atlas.get(fixture.paths.service(id))).json as { regionName: string };
      assert.equal(service.regionName, "US_GOV_WEST_1");
    });

    it("delete returns 204 then DELETING then 404", async function () {
      await fixture.control.ok("PUT", "timing", { serviceDeletingMs: 60_000 });
      const id = await createReadyPrivateEndpoint();
      const deleted = await legacy("DELETE", paths.privateLink(id));
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, "");
      const deleting = (await legacy("GET", paths.privateLink(id))).json as LegacyPrivateEndpoint;
      assert.equal(deleting.status, "DELETING");
      await fixture.control.ok("PUT", "timing", { serviceDeletingMs: 0 });
      assertError(await legacy("GET", paths.privateLink(id)), 404, "PRIVATELINK_NOT_FOUND");
    });

    it("delete with interface endpoints gets 409", async function () {
      const id = await createReadyPrivateEndpoint();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: randomVpceId() });
      const response = await legacy("DELETE", paths.privateLink(id));
      assertError(response, 409, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS");
    });

    it("DELETING interface endpoint blocks delete", async function () {
      await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 60_000 });
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      await legacy("DELETE", paths.interfaceEndpoint(id, vpceId));
      const response = await legacy("DELETE", paths.privateLink(id));
      assertError(response, 409, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS");
    });

    it("duplicate region gets 409", async function () {
      await createPrivateEndpoint("us-east-1");
      const response = await legacy("POST", paths.root, { providerName: "AWS", region: "us-east-1" });
      const body = assertError(response, 409, "PRIVATELINK_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION");
      assert.deepEqual(body.parameters, ["us-east-1"]);
    });

    it("unknown private endpoint gets 404", async function () {
      const response = await legacy("GET", paths.privateLink(UNKNOWN_ID));
      const body = assertError(response, 404, "PRIVATELINK_NOT_FOUND");
      assert.deepEqual(body.parameters, [UNKNOWN_ID]);
    });

    it("provider other than AWS gets 400", async function () {
      const response = await legacy("POST", paths.root, { providerName: "AZURE", region: "us-east-1" });
      assertError(response, 400, "INVALID_PROVIDER");
    });

    it("missing region gets 400", async function () {
      const response = await legacy("POST", paths.root, { providerName: "AWS" });
      assertError(response, 400, "MISSING_ATTRIBUTE");
    });
  });

  describe("interface endpoints", function () {
    it("create returns 201 without cloudProvider", async function () {
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      const response = await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers["content-type"], "application/json");
      const body = response.json as LegacyInterfaceEndpoint;
      assert.deepEqual(Object.keys(body).sort(), [
        "connectionStatus",
        "deleteRequested",
        "errorMessage",
        "interfaceEndpointId",
      ]);
      assert.equal(body.interfaceEndpointId, vpceId);
      assert.equal(body.connectionStatus, "PENDING_ACCEPTANCE");
      assert.equal(body.deleteRequested, false);
      assert.equal(body.errorMessage, null);
    });

    it("interface endpoint reaches AVAILABLE", async function () {
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      const final = await waitFor(
        () => readInterfaceEndpoint(id, vpceId),
        (body) => body.connectionStatus === "AVAILABLE",
      );
      assert.equal(final.errorMessage, null);
      const privateEndpoint = (await legacy("GET", paths.privateLink(id))).json as LegacyPrivateEndpoint;
      assert.equal(privateEndpoint.status, "AVAILABLE");
      assert.deepEqual(privateEndpoint.interfaceEndpoints, [vpceId]);
    });

    it("NONE precedes PENDING_ACCEPTANCE when timed", async function () {
      await fixture.control.ok("PUT", "timing", { endpointNoneMs: 600_000 });
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      const created = await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      assert.equal((created.json as LegacyInterfaceEndpoint).connectionStatus, "NONE");
      assert.equal((await readInterfaceEndpoint(id, vpceId)).connectionStatus, "NONE");
      const v2 = await fixture.atlas.get(fixture.paths.endpoint(id, vpceId));
      assert.equal((v2.json as LegacyInterfaceEndpoint).connectionStatus, "NONE");
      await fixture.control.ok("PUT", "timing", { endpointNoneMs: 0 });
      assert.equal((await readInterfaceEndpoint(id, vpceId)).connectionStatus, "PENDING_ACCEPTANCE");
    });

    it("v2 endpoints skip NONE", async function () {
      await fixture.control.ok("PUT", "timing", { endpointNoneMs: 600_000 });
      const serviceId = await createReadyService(fixture);
      const created = await createEndpoint(fixture, serviceId, randomVpceId());
      assert.equal((created.json as LegacyInterfaceEndpoint).connectionStatus, "PENDING_ACCEPTANCE");
    });

    it("outcome rules apply to legacy creates", async function () {
      const vpceId = randomVpceId();
      await fixture.control.ok("POST", "outcomes", {
        interfaceEndpointId: vpceId,
        connectionStatus: "REJECTED",
        errorMessage: "rejected by AWS",
      });
      const id = await createReadyPrivateEndpoint();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      const final = await waitFor(
        () => readInterfaceEndpoint(id, vpceId),
        (body) => body.connectionStatus === "REJECTED",
      );
      assert.equal(final.errorMessage, "rejected by AWS");
    });

    it("delete returns 200 with an empty object", async function () {
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      const response = await legacy("DELETE", paths.interfaceEndpoint(id, vpceId));
      assert.equal(response.status, 200);
      assert.equal(response.headers["content-type"], "application/json");
      assert.deepEqual(response.json, {});
    });

    it("deleted interface endpoint shows DELETING then 404", async function () {
      await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 60_000 });
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      await legacy("DELETE", paths.interfaceEndpoint(id, vpceId));
      const deleting = await readInterfaceEndpoint(id, vpceId);
      assert.equal(deleting.connectionStatus, "DELETING");
      assert.equal(deleting.deleteRequested, true);
      await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 0 });
      const response = await legacy("GET", paths.interfaceEndpoint(id, vpceId));
      const body = assertError(response, 404, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND");
      assert.deepEqual(body.parameters, [vpceId]);
    });

    it("unknown interface endpoint gets 404", async function () {
      const id = await createReadyPrivateEndpoint();
      const response = await legacy("DELETE", paths.interfaceEndpoint(id, randomVpceId()));
      assertError(response, 404, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND");
    });

    it("unknown private endpoint rejects creates", async function () {
      const response = await legacy("POST", paths.interfaceEndpoints(UNKNOWN_ID), {
        interfaceEndpointId: randomVpceId(),
      });
      assertError(response, 404, "PRIVATELINK_NOT_FOUND");
    });

    it("malformed body id gets 404 malformed", async function () {
      const id = await createReadyPrivateEndpoint();
      const response = await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: "vpc-123" });
      assertError(response, 404, "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED");
    });

    it("malformed path id gets 404 malformed", async function () {
      const id = await createReadyPrivateEndpoint();
      const response = await legacy("GET", paths.interfaceEndpoint(id, "endpoint-1"));
      assertError(response, 404, "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED");
    });

    it("missing interfaceEndpointId gets 400", async function () {
      const id = await createReadyPrivateEndpoint();
      const response = await legacy("POST", paths.interfaceEndpoints(id), { id: randomVpceId() });
      assertError(response, 400, "MISSING_ATTRIBUTE");
    });

    it("duplicate vpce gets 409", async function () {
      const id = await createReadyPrivateEndpoint();
      const vpceId = randomVpceId();
      await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      const response = await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: vpceId });
      assertError(response, 409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS");
    });

    it("INITIATING private endpoint rejects interface endpoints", async function () {
      await fixture.control.ok("PUT", "timing", { serviceInitiatingMs: 60_000 });
      const { id } = await createPrivateEndpoint();
      const response = await legacy("POST", paths.interfaceEndpoints(id), { interfaceEndpointId: randomVpceId() });
      assertError(response, 409, "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS");
    });
  });

  describe("requests", function () {
    it("no credentials get the digest challenge", async function () {
      const response = await rawRequest(fixture.emulator.baseUrl, "GET", paths.root, {
        headers: { Accept: "application/json" },
      });
      assertError(response, 401, "UNAUTHORIZED");
      assert.equal(parseChallenge(response.headers["www-authenticate"]).realm, "MMS Public API");
    });

    it("missing Accept header is accepted", async function () {
      const response = await fixture.atlas.get(paths.root, { accept: null });
      assert.equal(response.status, 200);
    });

    it("wildcard Accept header is accepted", async function () {
      const response = await fixture.atlas.get(paths.root, { accept: "*/*" });
      assert.equal(response.status, 200);
    });

    it("versioned v2 Accept header gets 406", async function () {
      const response = await fixture.atlas.get(paths.root, { accept: ATLAS_ACCEPT });
      assertError(response, 406, "NOT_ACCEPTABLE");
    });

    it("unknown legacy route gets 404", async function () {
      const response = await legacy("GET", `/api/atlas/v1.0/groups/${fixture.emulator.projectId}/clusters`);
      assertError(response, 404, "RESOURCE_NOT_FOUND");
    });

    it("wrong method gets 405", async function () {
      const response = await legacy("PATCH", paths.privateLink(UNKNOWN_ID), {});
      assertError(response, 405, "METHOD_NOT_ALLOWED");
      assert.equal(response.headers.allow, "GET, DELETE");
    });

    it("unknown project gets 404", async function () {
      const response = await legacy("GET", legacyPaths(UNKNOWN_ID).root);
      assertError(response, 404, "GROUP_NOT_FOUND");
    });

    it("malformed project id gets 400", async function () {
      const response = await legacy("GET", legacyPaths("not-a-project").root);
      assertError(response, 400, "PATH_PARAM_PARSE_ERROR");
    });

    it("v2 paths of another project stay separate", async function () {
      const created = await createPrivateEndpoint();
      const otherProject = "0123456789abcdef01234567";
      await fixture.control.ok("POST", "projects", { id: otherProject });
      const response = await fixture.atlas.get(atlasPaths(otherProject).service(created.id));
      assertError(response, 404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND");
    });
  });
});
