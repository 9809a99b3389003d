import assert from "node:assert/strict";
import { AtlasRequestError } from "../../provider/atlas";
import { PrivateEndpointInterfaceLinkProvider } from "../../provider/privateEndpointInterfaceLink";
import type { InterfaceLinkInputs } from "../../provider/privateEndpointInterfaceLink";
import { rejectionOf } from "./support/assertions";
import { atlasError, collectLog, endpoint, FakeClock, IDS, notFound, stubAtlasApi } from "./support/fakeAtlas";

const LINK_ID = `${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`;
const VPCE = IDS.interfaceEndpointId;
const ID_FORMAT = "{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS";

function setup() {
  const api = stubAtlasApi();
  const log = collectLog();
  const provider = new PrivateEndpointInterfaceLinkProvider({ api, clock: new FakeClock(), log: log.write });
  const inputs: InterfaceLinkInputs = { ...IDS, __provider: "serialized" } as InterfaceLinkInputs;
  return { api, log, provider, inputs };
}

function timedOut(): AtlasRequestError {
  return new AtlasRequestError({ method: "POST", path: "/endpoint", failure: "timed out after 30000 ms" });
}

describe("PrivateEndpointInterfaceLinkProvider create request", () => {
  describe("without a usable response", () => {
    const lostResponses: [string, Error][] = [
      ["a timeout", timedOut()],
      ["a reset connection", new Error("socket hang up")],
      ["a 500", atlasError(500, "UNEXPECTED_ERROR", "boom")],
      ["a 503", atlasError(503, "SERVICE_UNAVAILABLE", "down")],
    ];
    for (const [name, failure] of lostResponses) {
      it(`reads the link back after ${name}`, async () => {
        const { api, provider, inputs } = setup();
        api.createInterfaceEndpoint.rejects(failure);
        api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
        const result = await provider.create(inputs);
        assert.equal(result.outs?.connectionStatus, "AVAILABLE");
        assert.equal(api.createInterfaceEndpoint.callCount, 1);
      });
    }

    it("keeps waiting on a link found by the read", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(timedOut());
      api.getInterfaceEndpoint.onCall(0).resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(2).resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(api.getInterfaceEndpoint.callCount, 3);
    });

    it("posts once more when the read returns 404", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.onCall(0).rejects(timedOut());
      api.createInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "AVAILABLE"));
      api.getInterfaceEndpoint.rejects(notFound());
      const result = await provider.create(inputs);
      assert.equal(result.id, LINK_ID);
      assert.equal(api.createInterfaceEndpoint.callCount, 2);
    });

    it("reads the link when the second POST conflicts", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.onCall(0).rejects(timedOut());
      api.createInterfaceEndpoint.onCall(1).rejects(atlasError(409, "ALREADY_EXISTS", "exists"));
      api.getInterfaceEndpoint.onCall(0).rejects(notFound());
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(2).resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(api.createInterfaceEndpoint.callCount, 2);
    });

    it("rejects a second conflict that is not the link", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.onCall(0).rejects(timedOut());
      api.createInterfaceEndpoint.onCall(1).rejects(atlasError(409, "ALREADY_EXISTS", "exists"));
      api.getInterfaceEndpoint.rejects(notFound());
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.ok(err.message.includes(`is not attached to endpoint service ${IDS.privateLinkId}`), err.message);
    });

    it("tracks the link when the read fails", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(timedOut());
      api.getInterfaceEndpoint.rejects(atlasError(503, "SERVICE_UNAVAILABLE", "down"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(err.properties?.connectionStatus, null);
      assert.equal(err.properties?.__provider, "serialized");
      assert.match(err.message, /could not be confirmed after 0\.0s: the create request got no usable response /);
    });

    it("tracks the link when the second POST is lost too", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(timedOut());
      api.getInterfaceEndpoint.rejects(notFound());
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(api.createInterfaceEndpoint.callCount, 2);
    });

    it("rejects a second POST that Atlas refuses", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.onCall(0).rejects(timedOut());
      api.createInterfaceEndpoint.onCall(1).rejects(atlasError(400, "INVALID_ATTRIBUTE", "bad vpce"));
      api.getInterfaceEndpoint.rejects(notFound());
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.match(err.message, /bad vpce/);
    });

    it("logs each step with the ids", async () => {
      const { api, provider, inputs, log } = setup();
      api.createInterfaceEndpoint.onCall(0).rejects(timedOut());
      api.createInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "AVAILABLE"));
      api.getInterfaceEndpoint.rejects(notFound());
      await provider.create(inputs);
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.deepEqual(log.lines.slice(1, 3), [
        `${label} create request got no usable response (POST /endpoint failed: timed out after 30000 ms), ` +
          "reading the link back (0.0s elapsed)",
        `${label} found no link, sending the create request again (0.0s elapsed)`,
      ]);
    });
  });

  describe("rejected by Atlas", () => {
    it("explains a 409 to the first POST", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(atlasError(409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "exists"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.ok(
        err.message.includes(
          `because VPC endpoint ${VPCE} is already attached to endpoint service ${IDS.privateLinkId} in project ` +
            IDS.projectId,
        ),
        err.message,
      );
      assert.ok(err.message.includes(`PrivateEndpointInterfaceLink.get(name, "${LINK_ID}")`), err.message);
      assert.ok(err.message.includes(`whose id has the form ${ID_FORMAT}`), err.message);
      assert.equal(api.createInterfaceEndpoint.callCount, 1);
    });

    it("points to adoptExisting and get on a 409", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(atlasError(409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "exists"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const err = await rejectionOf(provider.create(inputs));
      assert.ok(
        err.message.includes("To manage the existing link with this stack, set adoptExisting: true on this resource"),
        err.message,
      );
      assert.ok(err.message.includes("pulumi destroy then deletes the link"), err.message);
      assert.ok(err.message.includes("To only read it, use PrivateEndpointInterfaceLink.get("), err.message);
      assert.ok(err.message.endsWith("read-only, so pulumi destroy does not delete the link."), err.message);
    });

    it("explains a 409 for another endpoint service", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(atlasError(409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "exists"));
      api.getInterfaceEndpoint.rejects(notFound());
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.ok(err.message.includes(`may be attached to another endpoint service of project ${IDS.projectId}`));
      assert.ok(err.message.includes("read-only, so pulumi destroy does not delete the link"), err.message);
      assert.ok(err.message.includes("or give this resource a different interface endpoint."), err.message);
    });

    it("names the missing endpoint service on 404", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.rejects(atlasError(404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", "no service"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.ok(
        err.message.includes(`endpoint service ${IDS.privateLinkId} was not found in project ${IDS.projectId}`),
        err.message,
      );
      assert.ok(err.message.includes("Check that privateLinkId is the id of an AWS endpoint service"), err.message);
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
    });

    const refused: [string, Error][] = [
      ["400", atlasError(400, "INVALID_ATTRIBUTE", "bad vpce")],
      ["401", atlasError(401, "UNAUTHORIZED", "bad key")],
      ["403", atlasError(403, "ACCESS_FORBIDDEN", "no access")],
      ["429", atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", "slow down")],
    ];
    for (const [name, failure] of refused) {
      it(`fails on ${name} without reading back`, async () => {
        const { api, provider, inputs } = setup();
        api.createInterfaceEndpoint.rejects(failure);
        const err = await rejectionOf(provider.create(inputs));
        assert.equal(err.id, undefined);
        assert.ok(err.message.startsWith(`Failed to create PrivateEndpointInterfaceLink ${LINK_ID}: `), err.message);
        assert.equal(api.getInterfaceEndpoint.callCount, 0);
      });
    }

    it("logs the failure with the ids", async () => {
      const { api, provider, inputs, log } = setup();
      api.createInterfaceEndpoint.rejects(atlasError(404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", "no service"));
      const err = await rejectionOf(provider.create(inputs));
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.equal(log.lines[log.lines.length - 1], `${label} create failed: ${err.message} (0.0s elapsed)`);
    });
  });

  describe("with adoptExisting", () => {
    function adoptSetup() {
      const context = setup();
      context.inputs.adoptExisting = true;
      context.api.createInterfaceEndpoint.rejects(
        atlasError(409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "exists"),
      );
      return context;
    }

    it("adopts an AVAILABLE link after a 409", async () => {
      const { api, provider, inputs } = adoptSetup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.id, LINK_ID);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(result.outs?.adoptExisting, true);
      assert.equal(api.createInterfaceEndpoint.callCount, 1);
      assert.equal(api.getInterfaceEndpoint.callCount, 1);
    });

    it("waits until an adopted link is AVAILABLE", async () => {
      const { api, provider, inputs } = adoptSetup();
      api.getInterfaceEndpoint.onCall(0).resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(2).resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(api.getInterfaceEndpoint.callCount, 3);
    });

    it("tracks an adopted REJECTED link as a partial failure", async () => {
      const { api, provider, inputs } = adoptSetup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "REJECTED", "no such VPC endpoint"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(err.properties?.connectionStatus, "REJECTED");
      assert.ok(err.message.includes("no such VPC endpoint"), err.message);
    });

    it("logs the adoption with the ids", async () => {
      const { api, provider, inputs, log } = adoptSetup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      await provider.create(inputs);
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.ok(
        log.lines.includes(
          `${label} found an existing link with connectionStatus AVAILABLE, adopting it (0.0s elapsed)`,
        ),
        log.lines.join("\n"),
      );
    });

    it("rejects a 409 for a link attached elsewhere", async () => {
      const { api, provider, inputs } = adoptSetup();
      api.getInterfaceEndpoint.rejects(notFound());
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.ok(err.message.includes(`is not attached to endpoint service ${IDS.privateLinkId}`), err.message);
    });

    it("rejects without tracking when the read fails", async () => {
      const { api, provider, inputs } = adoptSetup();
      api.getInterfaceEndpoint.rejects(atlasError(403, "ACCESS_FORBIDDEN", "no access"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, undefined);
      assert.ok(
        err.message.startsWith(
          `Failed to adopt PrivateEndpointInterfaceLink ${LINK_ID} because Atlas reports that it exists but reading ` +
            "it failed: ",
        ),
        err.message,
      );
      assert.ok(err.message.endsWith("Nothing was created or recorded; run pulumi up again."), err.message);
    });

    it("creates a new link without reading first", async () => {
      const { api, provider, inputs } = setup();
      inputs.adoptExisting = true;
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
    });
  });
});
