import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpointProvider } from "../../provider/privateEndpoint";
import type { PrivateEndpointInputs, PrivateEndpointOutputs } from "../../provider/privateEndpoint";
import { AtlasRequestError } from "../../provider/atlas";
import { rejectionOf } from "./support/assertions";
import {
  atlasError,
  collectLog,
  FakeClock,
  IDS,
  listingNotFound,
  notFound,
  service,
  stubAtlasApi,
  totalCalls,
} from "./support/fakeAtlas";

const UNKNOWN = pulumi.runtime.unknownValue as string;
const SERVICE_ID = IDS.privateLinkId;
const ENDPOINT_ID = `${IDS.projectId}--${SERVICE_ID}--AWS--us-east-1`;
const SERVICE_NAME = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718";
const INPUTS: PrivateEndpointInputs = { projectId: IDS.projectId, providerName: "AWS", region: "us-east-1" };
const UNCONFIRMED =
  `PrivateEndpoint ${ENDPOINT_ID}: Atlas returned 404 for the endpoint service, and listing the project's endpoint ` +
  "services failed too (";

function setup() {
  const api = stubAtlasApi();
  const clock = new FakeClock();
  const log = collectLog();
  const provider = new PrivateEndpointProvider({ api, clock, log: log.write });
  return { api, clock, log, provider };
}

function outputs(status: string | null): PrivateEndpointOutputs {
  return {
    ...INPUTS,
    privateLinkId: SERVICE_ID,
    endpointServiceName: SERVICE_NAME,
    status,
    errorMessage: null,
    interfaceEndpoints: [],
    regionName: "US_EAST_1",
  };
}

describe("PrivateEndpointProvider", () => {
  describe("check", () => {
    it("fills in providerName AWS", async () => {
      const { provider } = setup();
      const news = { projectId: IDS.projectId, region: "us-east-1" } as PrivateEndpointInputs;
      const result = await provider.check({} as PrivateEndpointInputs, news);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs, INPUTS);
    });

    it("rejects another cloud provider", async () => {
      const { provider } = setup();
      const result = await provider.check({} as PrivateEndpointInputs, { ...INPUTS, providerName: "AZURE" });
      assert.deepEqual(result.failures, [
        { property: "providerName", reason: 'providerName "AZURE" is not supported: expected "AWS"' },
      ]);
    });

    it("rejects an Atlas region name", async () => {
      const { provider } = setup();
      const result = await provider.check({} as PrivateEndpointInputs, { ...INPUTS, region: "US_EAST_1" });
      assert.deepEqual(result.failures, [
        {
          property: "region",
          reason: 'region "US_EAST_1" is invalid: expected an AWS region name in lowercase, e.g. us-east-1',
        },
      ]);
    });

    it("accepts a GovCloud region", async () => {
      const { provider } = setup();
      const result = await provider.check({} as PrivateEndpointInputs, { ...INPUTS, region: "us-gov-west-1" });
      assert.deepEqual(result.failures, []);
    });

    it("passes values unknown during preview", async () => {
      const { provider } = setup();
      const news = { projectId: UNKNOWN, providerName: UNKNOWN, region: UNKNOWN };
      const result = await provider.check({} as PrivateEndpointInputs, news);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs, news);
    });
  });

  describe("diff", () => {
    it("ignores a change of the serialized provider alone", async () => {
      const { provider } = setup();
      const olds = { ...outputs("WAITING_FOR_USER"), __provider: "a" };
      const result = await provider.diff(ENDPOINT_ID, olds, { ...INPUTS, __provider: "b" } as PrivateEndpointInputs);
      assert.equal(result.changes, false);
    });

    it("deletes first in the same region", async () => {
      const { provider } = setup();
      const result = await provider.diff(ENDPOINT_ID, outputs("FAILED"), { ...INPUTS });
      assert.deepEqual(result.replaces, ["status"]);
      assert.equal(result.deleteBeforeReplace, true);
    });

    it("creates before delete when the region changes", async () => {
      const { provider } = setup();
      const result = await provider.diff(ENDPOINT_ID, outputs("AVAILABLE"), { ...INPUTS, region: "eu-west-1" });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, ["region"]);
      assert.equal(result.deleteBeforeReplace, false);
    });

    it("deletes first for an unknown region", async () => {
      const { provider } = setup();
      const result = await provider.diff(ENDPOINT_ID, outputs("AVAILABLE"), { ...INPUTS, region: UNKNOWN });
      assert.deepEqual(result.replaces, ["region"]);
      assert.equal(result.deleteBeforeReplace, true);
    });

    it("updates in place when only timeouts change", async () => {
      const { provider } = setup();
      const result = await provider.diff(ENDPOINT_ID, outputs("AVAILABLE"), { ...INPUTS, timeouts: { delete: 90 } });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
    });

    it("keeps a service waiting for an interface endpoint", async () => {
      const { provider } = setup();
      const result = await provider.diff(ENDPOINT_ID, outputs("WAITING_FOR_USER"), { ...INPUTS });
      assert.equal(result.changes, false);
    });
  });

  describe("create", () => {
    it("polls until the service is ready", async () => {
      const { api, provider } = setup();
      api.createEndpointService.resolves(service(SERVICE_ID, "INITIATING", null));
      api.getEndpointService.onCall(0).resolves(service(SERVICE_ID, "INITIATING", null));
      api.getEndpointService.onCall(1).resolves(service(SERVICE_ID, "WAITING_FOR_USER", SERVICE_NAME));
      const result = await provider.create(INPUTS);
      assert.equal(result.id, ENDPOINT_ID);
      assert.deepEqual(result.outs, outputs("WAITING_FOR_USER"));
      assert.deepEqual(api.createEndpointService.firstCall.args, [IDS.projectId, "us-east-1"]);
    });

    it("waits for the service name", async () => {
      const { api, provider } = setup();
      api.createEndpointService.resolves(service(SERVICE_ID, "WAITING_FOR_USER", null));
      api.getEndpointService.resolves(service(SERVICE_ID, "WAITING_FOR_USER", SERVICE_NAME));
      await provider.create(INPUTS);
      assert.equal(api.getEndpointService.callCount, 1);
    });

    it("fails a FAILED service as a partial failure", async () => {
      const { api, provider } = setup();
      api.createEndpointService.resolves(service(SERVICE_ID, "INITIATING", null));
      api.getEndpointService.resolves({ ...service(SERVICE_ID, "FAILED", null), errorMessage: "no capacity" });
      const err = await rejectionOf(provider.create(INPUTS));
      assert.equal(err.id, ENDPOINT_ID);
      assert.equal(err.properties?.status, "FAILED");
      assert.equal(err.properties?.privateLinkId, SERVICE_ID);
      assert.match(err.message, /status FAILED: no capacity/);
    });

    it("keeps __provider in partial failures", async () => {
      const { api, provider } = setup();
      api.createEndpointService.resolves(service(SERVICE_ID, "FAILED", null));
      const inputs = { ...INPUTS, __provider: "exports.handler = () => provider;" };
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.properties?.__provider, "exports.handler = () => provider;");
    });

    it("times out naming the status", async () => {
      const { api, provider } = setup();
      api.createEndpointService.resolves(service(SERVICE_ID, "INITIATING", null));
      api.getEndpointService.resolves(service(SERVICE_ID, "INITIATING", null));
      const err = await rejectionOf(provider.create({ ...INPUTS, timeouts: { create: "10m" } }));
      assert.equal(err.id, ENDPOINT_ID);
      assert.match(err.message, /timed out after 10m .*the status is INITIATING and the service name is not set/);
    });

    it("fails without a service id", async () => {
      const { api, provider } = setup();
      api.createEndpointService.resolves({ cloudProvider: "AWS" } as ReturnType<typeof service>);
      const err = await rejectionOf(provider.create(INPUTS));
      assert.equal(err.id, undefined);
      assert.match(err.message, /Atlas returned no service id/);
    });
  });

  describe("read", () => {
    it("returns no id after a confirmed 404", async () => {
      const { api, provider } = setup();
      api.getEndpointService.rejects(notFound());
      api.listEndpointServices.resolves([]);
      assert.deepEqual(await provider.read(ENDPOINT_ID, outputs("AVAILABLE")), {});
    });

    it("confirms a 404 by listing the project once", async () => {
      const { api, provider } = setup();
      api.getEndpointService.rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.read(ENDPOINT_ID, outputs("AVAILABLE"));
      assert.deepEqual(api.listEndpointServices.args, [[IDS.projectId]]);
    });

    it("keeps the service when the listing returns 404", async () => {
      const { api, provider } = setup();
      api.getEndpointService.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.read(ENDPOINT_ID, outputs("AVAILABLE")));
      assert.equal(err.name, "UnconfirmedNotFoundError");
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.ok(err.message.includes("The endpoint service is kept in the state."), err.message);
      assert.ok(err.message.includes("Check mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL"), err.message);
    });

    it("keeps the service when the listing fails with 403", async () => {
      const { api, provider } = setup();
      api.getEndpointService.rejects(notFound());
      api.listEndpointServices.rejects(atlasError(403, "ACCESS_FORBIDDEN", "no access"));
      const err = await rejectionOf(provider.read(ENDPOINT_ID, outputs("AVAILABLE")));
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.ok(err.message.includes("no access"), err.message);
    });

    it("logs an unconfirmed 404 with the ids", async () => {
      const { api, provider, log } = setup();
      api.getEndpointService.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.read(ENDPOINT_ID, outputs("AVAILABLE")));
      const label = `PrivateEndpoint ${IDS.projectId}/${SERVICE_ID} (us-east-1)`;
      assert.deepEqual(log.lines, [`${label} read failed: ${err.message} (0.0s elapsed)`]);
    });

    it("rejects on other errors", async () => {
      const { api, provider } = setup();
      api.getEndpointService.rejects(atlasError(401, "UNAUTHORIZED", "bad key"));
      const err = await rejectionOf(provider.read(ENDPOINT_ID, outputs("AVAILABLE")));
      assert.match(err.message, /^Failed to read PrivateEndpoint /);
    });

    const readFailures: [string, Error][] = [
      ["403", atlasError(403, "ACCESS_FORBIDDEN", "no access")],
      ["429", atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", "slow down")],
      ["500", atlasError(500, "UNEXPECTED_ERROR", "boom")],
      ["a network error", new AtlasRequestError({ method: "GET", path: "/x", failure: "socket hang up" })],
    ];
    for (const [name, failure] of readFailures) {
      it(`rejects on ${name}`, async () => {
        const { api, provider } = setup();
        api.getEndpointService.rejects(failure);
        const err = await rejectionOf(provider.read(ENDPOINT_ID, outputs("AVAILABLE")));
        assert.ok(err.message.startsWith(`Failed to read PrivateEndpoint ${ENDPOINT_ID}: `), err.message);
        assert.ok(err.message.includes(failure.message), err.message);
      });
    }

    it("logs a failed read with the ids", async () => {
      const { api, provider, log } = setup();
      api.getEndpointService.rejects(atlasError(401, "UNAUTHORIZED", "bad key"));
      const err = await rejectionOf(provider.read(ENDPOINT_ID, outputs("AVAILABLE")));
      const label = `PrivateEndpoint ${IDS.projectId}/${SERVICE_ID} (us-east-1)`;
      assert.deepEqual(log.lines, [`${label} read failed: ${err.message} (0.0s elapsed)`]);
    });

    it("rejects get of a missing service", async () => {
      const { api, provider } = setup();
      api.getEndpointService.rejects(atlasError(404, "RESOURCE_NOT_FOUND", "Cannot find resource"));
      api.listEndpointServices.resolves([]);
      const err = await rejectionOf(provider.read(ENDPOINT_ID, {} as PrivateEndpointOutputs));
      assert.ok(
        err.message.startsWith(`PrivateEndpoint ${ENDPOINT_ID} was not found in Atlas, so .get cannot read it`),
      );
    });

    it("rejects get of an id with another region", async () => {
      const { api, provider } = setup();
      api.getEndpointService.resolves(service(SERVICE_ID, "AVAILABLE", SERVICE_NAME));
      const id = `${IDS.projectId}--${SERVICE_ID}--AWS--eu-west-1`;
      const err = await rejectionOf(provider.read(id, {} as PrivateEndpointOutputs));
      assert.equal(
        err.message,
        `Invalid PrivateEndpoint id "${id}": it names the AWS region eu-west-1, but Atlas reports endpoint service ` +
          `${SERVICE_ID} in US_EAST_1. Use the id "${ENDPOINT_ID}".`,
      );
    });

    it("adopts a service from its id alone", async () => {
      const { api, provider } = setup();
      api.getEndpointService.resolves(service(SERVICE_ID, "AVAILABLE", SERVICE_NAME));
      const result = await provider.read(ENDPOINT_ID, {} as PrivateEndpointOutputs);
      assert.deepEqual(api.getEndpointService.firstCall.args, [IDS.projectId, SERVICE_ID]);
      assert.deepEqual(result.props, outputs("AVAILABLE"));
      assert.deepEqual(result.inputs, INPUTS);
    });
  });

  describe("update", () => {
    it("changes only timeouts without API calls", async () => {
      const { api, provider } = setup();
      const result = await provider.update(ENDPOINT_ID, outputs("AVAILABLE"), { ...INPUTS, timeouts: { create: 5 } });
      assert.deepEqual(result.outs, { ...outputs("AVAILABLE"), timeouts: { create: 5 } });
      assert.equal(totalCalls(api), 0);
    });
  });

  describe("delete", () => {
    it("polls until a confirmed 404", async () => {
      const { api, provider } = setup();
      api.deleteEndpointService.resolves();
      api.getEndpointService.onCall(0).resolves(service(SERVICE_ID, "DELETING", SERVICE_NAME));
      api.getEndpointService.onCall(1).rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.delete(ENDPOINT_ID, outputs("AVAILABLE"));
      assert.equal(api.getEndpointService.callCount, 2);
      assert.deepEqual(api.listEndpointServices.args, [[IDS.projectId]]);
    });

    it("stops polling at an unconfirmed 404", async () => {
      const { api, provider } = setup();
      api.deleteEndpointService.resolves();
      api.getEndpointService.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.delete(ENDPOINT_ID, outputs("AVAILABLE")));
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.ok(err.message.includes("The endpoint service is kept in the state."), err.message);
      assert.equal(api.getEndpointService.callCount, 1);
    });

    it("finishes after a confirmed 404 to the DELETE", async () => {
      const { api, provider } = setup();
      api.deleteEndpointService.rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.delete(ENDPOINT_ID, outputs("AVAILABLE"));
      assert.equal(api.getEndpointService.callCount, 0);
    });

    it("keeps the service after an unconfirmed 404 to the DELETE", async () => {
      const { api, provider } = setup();
      api.deleteEndpointService.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.delete(ENDPOINT_ID, outputs("AVAILABLE")));
      assert.equal(err.name, "UnconfirmedNotFoundError");
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
    });

    it("times out naming the last status", async () => {
      const { api, provider } = setup();
      api.deleteEndpointService.resolves();
      api.getEndpointService.resolves(service(SERVICE_ID, "DELETING", SERVICE_NAME));
      const err = await rejectionOf(
        provider.delete(ENDPOINT_ID, { ...outputs("AVAILABLE"), timeouts: { delete: "1m" } }),
      );
      assert.match(
        err.message,
        /^Timed out after 1m waiting for Atlas to delete PrivateEndpoint .*last status was DELETING, /,
      );
      assert.match(err.message, /which means Atlas is still deleting the endpoint service/);
    });

    it("rejects a DELETE that fails with 500", async () => {
      const { api, provider } = setup();
      api.deleteEndpointService.rejects(atlasError(500, "UNEXPECTED_ERROR", "boom"));
      const err = await rejectionOf(provider.delete(ENDPOINT_ID, outputs("AVAILABLE")));
      assert.match(err.message, /^Failed to delete PrivateEndpoint .*boom/);
    });
  });
});
