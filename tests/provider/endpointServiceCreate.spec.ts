import assert from "node:assert/strict";
import { AtlasRequestError } from "../../provider/atlas";
import { PrivateEndpointProvider } from "../../provider/privateEndpoint";
import type { PrivateEndpointInputs } from "../../provider/privateEndpoint";
import { rejectionOf } from "./support/assertions";
import { atlasError, collectLog, FakeClock, IDS, service, stubAtlasApi } from "./support/fakeAtlas";

const SERVICE_ID = IDS.privateLinkId;
const ENDPOINT_ID = `${IDS.projectId}--${SERVICE_ID}--AWS--us-east-1`;
const SERVICE_NAME = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718";
const INPUTS: PrivateEndpointInputs = { projectId: IDS.projectId, providerName: "AWS", region: "us-east-1" };
const ID_FORMAT = "{projectId}--{privateLinkId}--AWS--{region}";

function setup() {
  const api = stubAtlasApi();
  const log = collectLog();
  const provider = new PrivateEndpointProvider({ api, clock: new FakeClock(), log: log.write });
  return { api, log, provider };
}

function timedOut(): AtlasRequestError {
  return new AtlasRequestError({ method: "POST", path: "/endpointService", failure: "timed out after 30000 ms" });
}

function otherRegion() {
  return { ...service("7b0c1d2e3f4a5b6c7d8e9f00", "AVAILABLE", SERVICE_NAME), regionName: "EU_WEST_1" };
}

describe("PrivateEndpointProvider create request", () => {
  describe("without a usable response", () => {
    it("finds the service in the region", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(timedOut());
      api.listEndpointServices.resolves([otherRegion(), service(SERVICE_ID, "INITIATING", null)]);
      api.getEndpointService.resolves(service(SERVICE_ID, "WAITING_FOR_USER", SERVICE_NAME));
      const result = await provider.create(INPUTS);
      assert.equal(result.id, ENDPOINT_ID);
      assert.equal(api.createEndpointService.callCount, 1);
    });

    it("reads the service back after a 500", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(atlasError(500, "UNEXPECTED_ERROR", "boom"));
      api.listEndpointServices.resolves([service(SERVICE_ID, "WAITING_FOR_USER", SERVICE_NAME)]);
      const result = await provider.create(INPUTS);
      assert.equal(result.id, ENDPOINT_ID);
    });

    it("posts once more when the region has none", async () => {
      const { api, provider } = setup();
      api.createEndpointService.onCall(0).rejects(timedOut());
      api.createEndpointService.onCall(1).resolves(service(SERVICE_ID, "WAITING_FOR_USER", SERVICE_NAME));
      api.listEndpointServices.resolves([otherRegion()]);
      const result = await provider.create(INPUTS);
      assert.equal(result.id, ENDPOINT_ID);
      assert.equal(api.createEndpointService.callCount, 2);
    });

    it("lists again when the second POST conflicts", async () => {
      const { api, provider } = setup();
      api.createEndpointService.onCall(0).rejects(timedOut());
      api.createEndpointService
        .onCall(1)
        .rejects(atlasError(409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "exists"));
      api.listEndpointServices.onCall(0).resolves([]);
      api.listEndpointServices.onCall(1).resolves([service(SERVICE_ID, "WAITING_FOR_USER", SERVICE_NAME)]);
      const result = await provider.create(INPUTS);
      assert.equal(result.id, ENDPOINT_ID);
      assert.equal(api.listEndpointServices.callCount, 2);
    });

    it("explains a failed listing", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(timedOut());
      api.listEndpointServices.rejects(atlasError(503, "SERVICE_UNAVAILABLE", "down"));
      const err = await rejectionOf(provider.create(INPUTS));
      assert.equal(err.id, undefined);
      assert.ok(err.message.includes("Atlas may have created the service"), err.message);
      assert.ok(err.message.includes(`PrivateEndpoint.get(name, id), whose id has the form ${ID_FORMAT}`));
      assert.ok(err.message.includes("read-only, so pulumi destroy does not delete the service"), err.message);
    });

    it("explains a second lost response", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(timedOut());
      api.listEndpointServices.resolves([]);
      const err = await rejectionOf(provider.create(INPUTS));
      assert.equal(api.createEndpointService.callCount, 2);
      assert.ok(err.message.includes("Atlas may have created the service"), err.message);
    });
  });

  describe("rejected by Atlas", () => {
    it("names the existing service on a 409", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(
        atlasError(409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "already exists"),
      );
      api.listEndpointServices.resolves([service(SERVICE_ID, "AVAILABLE", SERVICE_NAME)]);
      const err = await rejectionOf(provider.create(INPUTS));
      assert.equal(err.id, undefined);
      assert.ok(err.message.includes(`PrivateEndpoint.get(name, "${ENDPOINT_ID}")`), err.message);
      assert.ok(err.message.includes(`whose id has the form ${ID_FORMAT}.`), err.message);
    });

    it("calls a service read with get read-only", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(
        atlasError(409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "already exists"),
      );
      api.listEndpointServices.resolves([service(SERVICE_ID, "AVAILABLE", SERVICE_NAME)]);
      const err = await rejectionOf(provider.create(INPUTS));
      assert.ok(err.message.includes("To read the existing one, use PrivateEndpoint.get("), err.message);
      assert.ok(err.message.includes("read-only, so pulumi destroy does not delete the service"), err.message);
      assert.ok(!err.message.includes("adopt"), err.message);
    });

    it("explains how to manage the existing service", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(
        atlasError(409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "already exists"),
      );
      api.listEndpointServices.resolves([service(SERVICE_ID, "AVAILABLE", SERVICE_NAME)]);
      const err = await rejectionOf(provider.create(INPUTS));
      assert.ok(
        err.message.endsWith(
          "To manage the service with this stack, delete it in Atlas (or with the Atlas CLI) and run pulumi up " +
            "again, or choose a different region.",
        ),
        err.message,
      );
    });

    it("gives the id format when the listing fails", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(atlasError(409, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", "x"));
      api.listEndpointServices.rejects(atlasError(500, "UNEXPECTED_ERROR", "boom"));
      const err = await rejectionOf(provider.create(INPUTS));
      assert.ok(err.message.includes(`PrivateEndpoint.get(name, id), whose id has the form ${ID_FORMAT}, e.g. "`));
    });

    it("fails on 400 without listing", async () => {
      const { api, provider } = setup();
      api.createEndpointService.rejects(atlasError(400, "INVALID_REGION", "bad region"));
      const err = await rejectionOf(provider.create(INPUTS));
      assert.equal(err.id, undefined);
      assert.equal(api.listEndpointServices.callCount, 0);
    });

    it("logs the failure with the project and region", async () => {
      const { api, provider, log } = setup();
      api.createEndpointService.rejects(atlasError(400, "INVALID_REGION", "bad region"));
      const err = await rejectionOf(provider.create(INPUTS));
      const line = `PrivateEndpoint ${IDS.projectId} (us-east-1) create failed: ${err.message} (0.0s elapsed)`;
      assert.equal(log.lines[log.lines.length - 1], line);
    });
  });
});
