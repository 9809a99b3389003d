import assert from "node:assert/strict";
import { randomVpceId } from "./support/atlasTestClient";
import type { RawResponse } from "./support/atlasTestClient";
import { createEndpoint, createReadyService, startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";

interface ErrorBody {
  detail: string;
  error: number;
  errorCode: string;
  parameters: unknown[];
  reason: string;
}

/** Checks the Atlas error shape and returns the body. */
function assertAtlasError(response: RawResponse, status: number, errorCode: string, reason: string): ErrorBody {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers["content-type"], "application/json");
  const body = response.json as ErrorBody;
  assert.deepEqual(Object.keys(body).sort(), ["detail", "error", "errorCode", "parameters", "reason"]);
  assert.equal(body.error, status);
  assert.equal(body.errorCode, errorCode);
  assert.equal(body.reason, reason);
  assert.equal(typeof body.detail, "string");
  assert.ok(Array.isArray(body.parameters));
  return body;
}

const UNKNOWN_ID = "aaaaaaaaaaaaaaaaaaaaaaaa";

describe("emulator error responses", function () {
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

  describe("400", function () {
    it("malformed groupId", async function () {
      const response = await fixture.atlas.get("/api/atlas/v2/groups/not-a-group/privateEndpoint/AWS/endpointService");
      const body = assertAtlasError(response, 400, "PATH_PARAM_PARSE_ERROR", "Bad Request");
      assert.deepEqual(body.parameters, ["groupId", "not-a-group"]);
    });

    it("upper-case groupId", async function () {
      const response = await fixture.atlas.get(
        "/api/atlas/v2/groups/ABCDEF0123456789ABCDEF01/privateEndpoint/AWS/endpointService",
      );
      assertAtlasError(response, 400, "PATH_PARAM_PARSE_ERROR", "Bad Request");
    });

    it("malformed endpointServiceId", async function () {
      const response = await fixture.atlas.get(fixture.paths.service("12345"));
      const body = assertAtlasError(response, 400, "PATH_PARAM_PARSE_ERROR", "Bad Request");
      assert.deepEqual(body.parameters, ["endpointServiceId", "12345"]);
    });

    for (const badId of ["vpce-123", "vpce-0123456789ABCDEF0", "vpc-0123456789abcdef0", "vpce-0123456789abcdef01"]) {
      it(`malformed endpointId ${badId}`, async function () {
        const serviceId = await createReadyService(fixture);
        const response = await fixture.atlas.get(fixture.paths.endpoint(serviceId, badId));
        assertAtlasError(response, 400, "PATH_PARAM_PARSE_ERROR", "Bad Request");
      });
    }

    it("old 8-hex endpoint ids are valid", async function () {
      const serviceId = await createReadyService(fixture);
      const created = await createEndpoint(fixture, serviceId, "vpce-0a1b2c3d");
      assert.equal(created.status, 200);
    });

    it("malformed id in the endpoint body", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await createEndpoint(fixture, serviceId, "vpce-xyz");
      assertAtlasError(response, 400, "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED", "Bad Request");
    });

    it("missing id in the endpoint body", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await fixture.atlas.post(fixture.paths.endpoints(serviceId), {});
      const body = assertAtlasError(response, 400, "MISSING_ATTRIBUTE", "Bad Request");
      assert.deepEqual(body.parameters, ["id"]);
    });

    it("non-string id in the endpoint body", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await fixture.atlas.post(fixture.paths.endpoints(serviceId), { id: 42 });
      assertAtlasError(response, 400, "INVALID_ATTRIBUTE", "Bad Request");
    });

    it("malformed JSON body", async function () {
      const response = await fixture.atlas.request("POST", fixture.paths.createService, {
        rawBody: '{"providerName":',
      });
      assertAtlasError(response, 400, "MALFORMED_JSON", "Bad Request");
    });

    it("empty body", async function () {
      const response = await fixture.atlas.request("POST", fixture.paths.createService, { rawBody: "" });
      assertAtlasError(response, 400, "MALFORMED_JSON", "Bad Request");
    });

    it("JSON array body", async function () {
      const response = await fixture.atlas.post(fixture.paths.createService, [{ providerName: "AWS" }]);
      assertAtlasError(response, 400, "INVALID_JSON", "Bad Request");
    });

    it("provider other than AWS", async function () {
      const response = await fixture.atlas.post(fixture.paths.createService, {
        providerName: "AZURE",
        region: "eastus",
      });
      const body = assertAtlasError(response, 400, "INVALID_PROVIDER", "Bad Request");
      assert.deepEqual(body.parameters, ["AZURE"]);
    });

    it("missing providerName", async function () {
      const response = await fixture.atlas.post(fixture.paths.createService, { region: "us-east-1" });
      const body = assertAtlasError(response, 400, "MISSING_ATTRIBUTE", "Bad Request");
      assert.deepEqual(body.parameters, ["providerName"]);
    });

    it("missing region", async function () {
      const response = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS" });
      const body = assertAtlasError(response, 400, "MISSING_ATTRIBUTE", "Bad Request");
      assert.deepEqual(body.parameters, ["region"]);
    });

    it("invalid region", async function () {
      const response = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region: "moon-1" });
      assertAtlasError(response, 400, "INVALID_REGION", "Bad Request");
    });

    it("unknown cloud provider in the path", async function () {
      const response = await fixture.atlas.get(
        `/api/atlas/v2/groups/${fixture.emulator.projectId}/privateEndpoint/aws/endpointService`,
      );
      assertAtlasError(response, 400, "INVALID_PROVIDER", "Bad Request");
    });
  });

  describe("404", function () {
    it("unknown project", async function () {
      const response = await fixture.atlas.get(
        `/api/atlas/v2/groups/${UNKNOWN_ID}/privateEndpoint/AWS/endpointService`,
      );
      const body = assertAtlasError(response, 404, "GROUP_NOT_FOUND", "Not Found");
      assert.deepEqual(body.parameters, [UNKNOWN_ID]);
    });

    it("unknown service", async function () {
      const response = await fixture.atlas.get(fixture.paths.service(UNKNOWN_ID));
      assertAtlasError(response, 404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", "Not Found");
    });

    it("unknown service on delete", async function () {
      const response = await fixture.atlas.delete(fixture.paths.service(UNKNOWN_ID));
      assertAtlasError(response, 404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", "Not Found");
    });

    it("endpoint create on unknown service", async function () {
      const response = await createEndpoint(fixture, UNKNOWN_ID, randomVpceId());
      assertAtlasError(response, 404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", "Not Found");
    });

    it("unknown endpoint", async function () {
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      const response = await fixture.atlas.get(fixture.paths.endpoint(serviceId, vpceId));
      const body = assertAtlasError(response, 404, "RESOURCE_NOT_FOUND", "Not Found");
      assert.deepEqual(body.parameters, [vpceId]);
    });

    it("unknown endpoint on delete", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await fixture.atlas.delete(fixture.paths.endpoint(serviceId, randomVpceId()));
      assertAtlasError(response, 404, "RESOURCE_NOT_FOUND", "Not Found");
    });

    it("service under another provider", async function () {
      const serviceId = await createReadyService(fixture);
      const response = await fixture.atlas.get(
        `/api/atlas/v2/groups/${fixture.emulator.projectId}/privateEndpoint/AZURE/endpointService/${serviceId}`,
      );
      assertAtlasError(response, 404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", "Not Found");
    });

    it("unknown Atlas route", async function () {
      const response = await fixture.atlas.get(`/api/atlas/v2/groups/${fixture.emulator.projectId}/clusters`);
      assertAtlasError(response, 404, "RESOURCE_NOT_FOUND", "Not Found");
    });

    it("path outside the API needs no auth", async function () {
      const response = await fixture.atlas.request("GET", "/index.html", { accept: null });
      assertAtlasError(response, 404, "RESOURCE_NOT_FOUND", "Not Found");
    });
  });

  describe("405 and 406", function () {
    it("wrong method on a known path", async function () {
      const response = await fixture.atlas.request("PUT", fixture.paths.createService, { body: {} });
      assertAtlasError(response, 405, "METHOD_NOT_ALLOWED", "Method Not Allowed");
      assert.equal(response.headers.allow, "POST");
    });

    it("missing Accept header", async function () {
      const response = await fixture.atlas.get(fixture.paths.listServices, { accept: null });
      assertAtlasError(response, 406, "INVALID_VERSION_DATE", "Not Acceptable");
    });

    it("plain JSON Accept header", async function () {
      const response = await fixture.atlas.get(fixture.paths.listServices, { accept: "application/json" });
      assertAtlasError(response, 406, "INVALID_VERSION_DATE", "Not Acceptable");
    });

    it("other version date", async function () {
      const response = await fixture.atlas.get(fixture.paths.listServices, {
        accept: "application/vnd.atlas.2099-01-01+json",
      });
      assertAtlasError(response, 406, "INVALID_VERSION_DATE", "Not Acceptable");
    });

    it("versioned type in a list is accepted", async function () {
      const response = await fixture.atlas.get(fixture.paths.listServices, {
        accept: "application/json, application/vnd.atlas.2023-01-01+json;charset=utf-8",
      });
      assert.equal(response.status, 200);
    });
  });

  describe("409", function () {
    it("second service in the same region", async function () {
      await createReadyService(fixture, "us-east-1");
      const response = await fixture.atlas.post(fixture.paths.createService, {
        providerName: "AWS",
        region: "us-east-1",
      });
      assertAtlasError(response, 409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "Conflict");
    });

    it("same region in Atlas form", async function () {
      await createReadyService(fixture, "us-east-1");
      const response = await fixture.atlas.post(fixture.paths.createService, {
        providerName: "AWS",
        region: "US_EAST_1",
      });
      assertAtlasError(response, 409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "Conflict");
    });

    it("vpce already attached to the service", async function () {
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      assert.equal((await createEndpoint(fixture, serviceId, vpceId)).status, 200);
      const response = await createEndpoint(fixture, serviceId, vpceId);
      assertAtlasError(response, 409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "Conflict");
    });

    it("vpce attached to another service", async function () {
      const first = await createReadyService(fixture, "us-east-1");
      const second = await createReadyService(fixture, "us-west-2");
      const vpceId = randomVpceId();
      await createEndpoint(fixture, first, vpceId);
      const response = await createEndpoint(fixture, second, vpceId);
      const body = assertAtlasError(response, 409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "Conflict");
      assert.deepEqual(body.parameters, [vpceId, first]);
    });

    it("service with an endpoint cannot be deleted", async function () {
      const serviceId = await createReadyService(fixture);
      await createEndpoint(fixture, serviceId, randomVpceId());
      const response = await fixture.atlas.delete(fixture.paths.service(serviceId));
      assertAtlasError(response, 409, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS", "Conflict");
    });

    it("DELETING endpoint still blocks service deletion", async function () {
      await fixture.control.ok("PUT", "timing", { endpointDeletingMs: 60_000 });
      const serviceId = await createReadyService(fixture);
      const vpceId = randomVpceId();
      await createEndpoint(fixture, serviceId, vpceId);
      await fixture.atlas.delete(fixture.paths.endpoint(serviceId, vpceId));
      const response = await fixture.atlas.delete(fixture.paths.service(serviceId));
      assertAtlasError(response, 409, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS", "Conflict");
    });

    it("INITIATING service rejects endpoints", async function () {
      await fixture.control.ok("PUT", "timing", { serviceInitiatingMs: 60_000 });
      const created = await fixture.atlas.post(fixture.paths.createService, {
        providerName: "AWS",
        region: "us-east-1",
      });
      const serviceId = (created.json as { id: string }).id;
      const response = await createEndpoint(fixture, serviceId, randomVpceId());
      const body = assertAtlasError(response, 409, "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS", "Conflict");
      assert.deepEqual(body.parameters, [serviceId, "INITIATING"]);
    });

    it("DELETING service rejects endpoints", async function () {
      await fixture.control.ok("PUT", "timing", { serviceDeletingMs: 60_000 });
      const serviceId = await createReadyService(fixture);
      await fixture.atlas.delete(fixture.paths.service(serviceId));
      const response = await createEndpoint(fixture, serviceId, randomVpceId());
      assertAtlasError(response, 409, "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS", "Conflict");
    });
  });

  it("pretty=true indents the body", async function () {
    const response = await fixture.atlas.get(`${fixture.paths.service(UNKNOWN_ID)}?pretty=true`);
    assert.equal(response.status, 404);
    assert.match(response.text, /^\{\n {2}"detail"/);
  });
});
