import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpointInterfaceLinkProvider } from "../../provider/privateEndpointInterfaceLink";
import type { InterfaceLinkInputs, InterfaceLinkOutputs } from "../../provider/privateEndpointInterfaceLink";
import type { InterfaceEndpoint } from "../../provider/atlas";
import { AtlasApiError, AtlasRequestError } from "../../provider/atlas";
import { NO_ATLAS_ENV, rejectionOf, withEnv } from "./support/assertions";
import {
  atlasError,
  collectLog,
  endpoint,
  FakeClock,
  IDS,
  listingNotFound,
  notFound,
  stubAtlasApi,
  totalCalls,
} from "./support/fakeAtlas";

const UNKNOWN = pulumi.runtime.unknownValue as string;
const LINK_ID = `${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`;
const VPCE = IDS.interfaceEndpointId;
const UNCONFIRMED =
  `PrivateEndpointInterfaceLink ${LINK_ID}: Atlas returned 404 for the link, and listing the project's endpoint ` +
  "services failed too (";

function setup(options: { timeoutsCreate?: string } = {}) {
  const api = stubAtlasApi();
  const clock = new FakeClock();
  const log = collectLog();
  const provider = new PrivateEndpointInterfaceLinkProvider({ api, clock, log: log.write });
  const inputs: InterfaceLinkInputs = { ...IDS };
  if (options.timeoutsCreate !== undefined) {
    inputs.timeouts = { create: options.timeoutsCreate };
  }
  return { api, clock, log, provider, inputs };
}

function outputs(connectionStatus: string | null, errorMessage: string | null = null): InterfaceLinkOutputs {
  return { ...IDS, connectionStatus, deleteRequested: false, errorMessage };
}

function withProvider<T extends object>(values: T, provider: string): T & { __provider: string } {
  return { ...values, __provider: provider };
}

describe("PrivateEndpointInterfaceLinkProvider", () => {
  describe("check", () => {
    it("returns valid inputs without failures", async () => {
      const { provider } = setup();
      const result = await provider.check({} as InterfaceLinkInputs, { ...IDS, timeouts: { create: "90m" } });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs, { ...IDS, timeouts: { create: "90m" } });
    });

    it("drops properties the resource does not have", async () => {
      const { provider } = setup();
      const news = { ...IDS, extra: "x" } as unknown as InterfaceLinkInputs;
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(result.inputs, { ...IDS });
    });

    it("accepts an 8-digit vpce id", async () => {
      const { provider } = setup();
      const result = await provider.check({} as InterfaceLinkInputs, { ...IDS, interfaceEndpointId: "vpce-0a1b2c3d" });
      assert.deepEqual(result.failures, []);
    });

    it("reports each missing id", async () => {
      const { provider } = setup();
      const result = await provider.check({} as InterfaceLinkInputs, {} as InterfaceLinkInputs);
      const properties = (result.failures ?? []).map((failure) => failure.property);
      assert.deepEqual(properties, ["projectId", "privateLinkId", "interfaceEndpointId"]);
      assert.match(result.failures?.[0].reason ?? "", /^projectId is missing: expected 24 lowercase hex characters/);
    });

    it("passes values unknown during preview", async () => {
      const { provider } = setup();
      const news = { projectId: UNKNOWN, privateLinkId: UNKNOWN, interfaceEndpointId: UNKNOWN, timeouts: UNKNOWN };
      const result = await provider.check({} as InterfaceLinkInputs, news as unknown as InterfaceLinkInputs);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs, news);
    });

    it("keeps adoptExisting", async () => {
      const { provider } = setup();
      const result = await provider.check({} as InterfaceLinkInputs, { ...IDS, adoptExisting: true });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs, { ...IDS, adoptExisting: true });
    });

    it("rejects an adoptExisting that is not a boolean", async () => {
      const { provider } = setup();
      const news = { ...IDS, adoptExisting: "yes" } as unknown as InterfaceLinkInputs;
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(result.failures, [
        { property: "adoptExisting", reason: 'adoptExisting "yes" is invalid: expected true or false' },
      ]);
    });

    it("passes an unknown adoptExisting", async () => {
      const { provider } = setup();
      const news = { ...IDS, adoptExisting: UNKNOWN } as unknown as InterfaceLinkInputs;
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(result.failures, []);
      assert.equal(result.inputs?.adoptExisting, UNKNOWN);
    });

    it("needs no credentials", async () => {
      const provider = new PrivateEndpointInterfaceLinkProvider();
      const result = await withEnv(NO_ATLAS_ENV, () => provider.check({} as InterfaceLinkInputs, { ...IDS }));
      assert.deepEqual(result.failures, []);
    });
  });

  describe("diff", () => {
    it("reports no change for the same inputs", async () => {
      const { provider } = setup();
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), { ...IDS });
      assert.equal(result.changes, false);
      assert.deepEqual(result.replaces, []);
    });

    it("ignores a change of the serialized provider alone", async () => {
      const { provider } = setup();
      const olds = withProvider(outputs("AVAILABLE"), "exports.handler = function () { return 1; }");
      const news = withProvider({ ...IDS }, "exports.handler = function () { return 2; }");
      const result = await provider.diff(LINK_ID, olds, news);
      assert.equal(result.changes, false);
    });

    it("replaces after delete when only the project changes", async () => {
      const { provider } = setup();
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), {
        ...IDS,
        projectId: "5f0a1b2c3d4e5f6a7b8c9d0f",
      });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, ["projectId"]);
      assert.equal(result.deleteBeforeReplace, true);
    });

    it("deletes first for a new endpoint service", async () => {
      const { provider } = setup();
      const news = { ...IDS, privateLinkId: "6a0b1c2d3e4f5a6b7c8d9e00" };
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), news);
      assert.deepEqual(result.replaces, ["privateLinkId"]);
      assert.equal(result.deleteBeforeReplace, true);
    });

    it("creates before delete when the vpce id changes", async () => {
      const { provider } = setup();
      const news = { ...IDS, interfaceEndpointId: "vpce-0a1b2c3d4e5f60719" };
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), news);
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, ["interfaceEndpointId"]);
      assert.equal(result.deleteBeforeReplace, false);
    });

    it("updates in place when only timeouts change", async () => {
      const { provider } = setup();
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), { ...IDS, timeouts: { create: "3h" } });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
    });

    it("treats equal durations written differently as no change", async () => {
      const { provider } = setup();
      const olds = { ...outputs("AVAILABLE"), timeouts: { create: "120m", delete: 60 } };
      const result = await provider.diff(LINK_ID, olds, { ...IDS, timeouts: { create: "2h" } });
      assert.equal(result.changes, false);
    });

    it("replaces when an id is unknown during preview", async () => {
      const { provider } = setup();
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), { ...IDS, privateLinkId: UNKNOWN });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, ["privateLinkId"]);
    });

    it("deletes first for an unknown vpce id", async () => {
      const { provider } = setup();
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), { ...IDS, interfaceEndpointId: UNKNOWN });
      assert.deepEqual(result.replaces, ["interfaceEndpointId"]);
      assert.equal(result.deleteBeforeReplace, true);
    });

    it("updates in place when only adoptExisting changes", async () => {
      const { provider } = setup();
      const olds = { ...outputs("AVAILABLE"), adoptExisting: true };
      const result = await provider.diff(LINK_ID, olds, { ...IDS, adoptExisting: false });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
      assert.equal(result.deleteBeforeReplace, false);
    });

    it("treats adoptExisting false as unset", async () => {
      const { provider } = setup();
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), { ...IDS, adoptExisting: false });
      assert.equal(result.changes, false);
    });

    it("counts an unknown adoptExisting as an update", async () => {
      const { provider } = setup();
      const news = { ...IDS, adoptExisting: UNKNOWN } as unknown as InterfaceLinkInputs;
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), news);
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
    });

    it("counts unknown timeouts as an update", async () => {
      const { provider } = setup();
      const news = { ...IDS, timeouts: UNKNOWN } as unknown as InterfaceLinkInputs;
      const result = await provider.diff(LINK_ID, outputs("AVAILABLE"), news);
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
    });

    const unusable: [string, InterfaceLinkOutputs, string[]][] = [
      ["a REJECTED link", outputs("REJECTED"), ["connectionStatus"]],
      [
        "a link with an Atlas error",
        outputs("PENDING_ACCEPTANCE", "vpce not found"),
        ["errorMessage", "connectionStatus"],
      ],
      ["an AVAILABLE link with an Atlas error", outputs("AVAILABLE", "broken"), ["errorMessage"]],
      ["a link whose create timed out", outputs("PENDING_ACCEPTANCE"), ["connectionStatus"]],
      ["a link with no status", outputs(null), ["connectionStatus"]],
    ];
    for (const [name, olds, keys] of unusable) {
      it(`replaces ${name} after delete`, async () => {
        const { provider } = setup();
        const result = await provider.diff(LINK_ID, olds, { ...IDS });
        assert.equal(result.changes, true);
        assert.deepEqual(result.replaces, keys);
        assert.equal(result.deleteBeforeReplace, true);
      });
    }
  });

  describe("create", () => {
    it("polls until AVAILABLE and returns the outputs", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.onCall(0).resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create({ ...inputs, timeouts: { create: "30m" } });
      assert.equal(result.id, LINK_ID);
      assert.deepEqual(result.outs, {
        ...IDS,
        timeouts: { create: "30m" },
        connectionStatus: "AVAILABLE",
        deleteRequested: false,
        errorMessage: null,
      });
      assert.equal(api.getInterfaceEndpoint.callCount, 2);
      assert.deepEqual(api.createInterfaceEndpoint.firstCall.args, [IDS.projectId, IDS.privateLinkId, VPCE]);
    });

    it("waits through the legacy NONE status", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "NONE"));
      api.getInterfaceEndpoint.onCall(0).resolves(endpoint(VPCE, "NONE"));
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.onCall(2).resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(result.outs?.errorMessage, null);
      assert.equal(api.getInterfaceEndpoint.callCount, 3);
    });

    it("skips polling when the POST returns AVAILABLE", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
    });

    it("logs each status change", async () => {
      const { api, provider, inputs, log, clock } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.onCall(0).resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.onCall(1).callsFake(() => {
        clock.advance(9900);
        return Promise.resolve(endpoint(VPCE, "AVAILABLE"));
      });
      await provider.create(inputs);
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.deepEqual(log.lines.slice(1), [
        `${label} status PENDING_ACCEPTANCE after 0.0s`,
        `${label} PENDING_ACCEPTANCE -> AVAILABLE after 11.9s`,
      ]);
    });

    it("polls on the default schedule", async () => {
      const { api, provider, inputs, clock } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(40).resolves(endpoint(VPCE, "AVAILABLE"));
      await provider.create(inputs);
      assert.equal(clock.sleeps.length, 41);
      assert.deepEqual(clock.sleeps.slice(0, 14), [...Array<number>(11).fill(1000), 1100, 1210, 1331]);
      assert.deepEqual(clock.sleeps.slice(35), [10836, 11919, 13111, 14422, 15000, 15000]);
    });

    it("uses the schedule given in the options", async () => {
      const api = stubAtlasApi();
      const clock = new FakeClock();
      const schedule = { initialDelayMs: 10, multiplier: 2, maxDelayMs: 30 };
      const provider = new PrivateEndpointInterfaceLinkProvider({ api, clock, schedule, log: () => undefined });
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(3).resolves(endpoint(VPCE, "AVAILABLE"));
      await provider.create({ ...IDS });
      assert.deepEqual(clock.sleeps, [10, 20, 30, 30]);
    });

    it("fails a REJECTED link as a partial failure", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "REJECTED"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(err.properties?.connectionStatus, "REJECTED");
      assert.equal(err.properties?.projectId, IDS.projectId);
      assert.equal(err.properties?.interfaceEndpointId, VPCE);
      assert.match(err.message, /connectionStatus REJECTED: AWS failed to establish the connection/);
      assert.deepEqual(err.reasons, [err.message]);
    });

    it("keeps __provider in partial failures", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "REJECTED"));
      const err = await rejectionOf(provider.create(withProvider(inputs, "exports.handler = () => provider;")));
      assert.equal(err.properties?.__provider, "exports.handler = () => provider;");
    });

    it("fails on Atlas's error message", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING_ACCEPTANCE", "The VPC endpoint does not exist"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(err.properties?.errorMessage, "The VPC endpoint does not exist");
      assert.match(err.message, /The VPC endpoint does not exist/);
    });

    it("fails on an error in the POST response", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "NONE", "quota exceeded"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
    });

    const stuck: [string, RegExp][] = [
      ["PENDING_ACCEPTANCE", /still PENDING_ACCEPTANCE, which waits for the AWS side to accept the connection request/],
      ["PENDING", /still PENDING, which waits for AWS to establish the connection/],
      ["NONE", /still NONE, which waits for AWS to create the VPC endpoint/],
    ];
    for (const [status, explanation] of stuck) {
      it(`times out in ${status} as a partial failure`, async () => {
        const { api, provider, inputs } = setup({ timeoutsCreate: "5m" });
        api.createInterfaceEndpoint.resolves(endpoint(VPCE, status));
        api.getInterfaceEndpoint.resolves(endpoint(VPCE, status));
        const err = await rejectionOf(provider.create(inputs));
        assert.equal(err.id, LINK_ID);
        assert.equal(err.properties?.connectionStatus, status);
        assert.match(err.message, /timed out after 5m /);
        assert.match(err.message, explanation);
      });
    }

    const noStatus: InterfaceEndpoint = { cloudProvider: "AWS", interfaceEndpointId: VPCE, errorMessage: null };
    const endedAtOnce: [string, InterfaceEndpoint, string][] = [
      [
        "an unknown status",
        endpoint(VPCE, "RECREATING"),
        'Atlas reported connectionStatus "RECREATING", which this package does not know',
      ],
      [
        "DELETING",
        endpoint(VPCE, "DELETING"),
        "Atlas reported connectionStatus DELETING: Atlas is removing the interface endpoint",
      ],
      ["a missing status", noStatus, "Atlas returned the link without a connectionStatus"],
      ["an empty status", endpoint(VPCE, ""), "Atlas returned the link without a connectionStatus"],
    ];
    for (const [name, polled, problem] of endedAtOnce) {
      it(`fails fast on ${name}`, async () => {
        const { api, provider, inputs } = setup();
        api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING_ACCEPTANCE"));
        api.getInterfaceEndpoint.resolves(polled);
        const err = await rejectionOf(provider.create(inputs));
        assert.equal(err.id, LINK_ID);
        assert.ok(err.message.includes(`failed after 1.0s: ${problem}`), err.message);
        assert.equal(api.getInterfaceEndpoint.callCount, 1);
      });
    }

    it("keeps an unknown status in the partial failure", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "RECREATING"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.properties?.connectionStatus, "RECREATING");
    });

    it("fails fast on an unknown status in the POST response", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "RECREATING"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
    });

    it("logs a failed create with the ids", async () => {
      const { api, provider, inputs, log } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "REJECTED"));
      const err = await rejectionOf(provider.create(inputs));
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.equal(log.lines[log.lines.length - 1], `${label} create failed: ${err.message} (0.0s elapsed)`);
    });

    it("ends the last sleep at the create timeout", async () => {
      const { api, provider, clock } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      await rejectionOf(provider.create({ ...IDS, timeouts: { create: "4.5s" } }));
      assert.deepEqual(clock.sleeps, [1000, 1000, 1000, 1000, 500]);
    });

    it("retries a read after 503", async () => {
      const { api, provider, inputs, log } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(0).rejects(atlasError(503, "SERVICE_UNAVAILABLE", "try later"));
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.create(inputs);
      assert.equal(result.outs?.connectionStatus, "AVAILABLE");
      assert.ok(log.lines.some((line) => line.includes("read failed, retrying")));
    });

    it("waits at least Retry-After after a 429", async () => {
      const { api, provider, inputs, clock } = setup();
      const rateLimited = new AtlasApiError({
        method: "GET",
        path: "/x",
        statusCode: 429,
        body: JSON.stringify({ error: 429, errorCode: "RATE_LIMITED_TOKEN_BUCKET", detail: "slow down" }),
        retryAfterSeconds: 55,
      });
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.onCall(0).rejects(rateLimited);
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "AVAILABLE"));
      await provider.create(inputs);
      assert.deepEqual(clock.sleeps, [1000, 55000]);
    });

    it("fails when a read is forbidden", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.rejects(atlasError(403, "FORBIDDEN", "no access"));
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.equal(api.getInterfaceEndpoint.callCount, 1);
      assert.match(err.message, /could not be read .*no access/);
    });

    it("fails when the link disappears", async () => {
      const { api, provider, inputs } = setup();
      api.createInterfaceEndpoint.resolves(endpoint(VPCE, "PENDING"));
      api.getInterfaceEndpoint.rejects(notFound());
      const err = await rejectionOf(provider.create(inputs));
      assert.equal(err.id, LINK_ID);
      assert.match(err.message, /disappeared from Atlas .*last status PENDING/);
    });

    it("rejects with MissingCredentialsError without credentials", async () => {
      const provider = new PrivateEndpointInterfaceLinkProvider({ log: () => undefined });
      const err = await withEnv(NO_ATLAS_ENV, () => rejectionOf(provider.create({ ...IDS })));
      assert.equal(err.name, "MissingCredentialsError");
    });
  });

  describe("read", () => {
    it("returns no id after a confirmed 404", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.resolves([]);
      const result = await provider.read(LINK_ID, outputs("AVAILABLE"));
      assert.deepEqual(result, {});
    });

    it("rejects get of a missing link", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.resolves([]);
      const err = await rejectionOf(provider.read(LINK_ID, {} as InterfaceLinkOutputs));
      assert.ok(
        err.message.startsWith(`PrivateEndpointInterfaceLink ${LINK_ID} was not found in Atlas, so .get cannot`),
      );
    });

    it("confirms a 404 by listing the project once", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.read(LINK_ID, outputs("AVAILABLE"));
      assert.deepEqual(api.listEndpointServices.args, [[IDS.projectId]]);
    });

    it("lists nothing when the link exists", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      await provider.read(LINK_ID, outputs("AVAILABLE"));
      assert.equal(api.listEndpointServices.callCount, 0);
    });

    it("keeps the link when the listing returns 404", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
      assert.equal(err.name, "UnconfirmedNotFoundError");
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.ok(err.message.includes(listingNotFound().message), err.message);
      assert.ok(err.message.includes("The link is kept in the state."), err.message);
    });

    it("names the checks after an unconfirmed 404", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
      assert.ok(err.message.includes("Check mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL"), err.message);
      assert.ok(err.message.includes(`and projectId ${IDS.projectId}.`), err.message);
      assert.ok(err.message.includes("remove the resource with pulumi state delete <URN>"), err.message);
    });

    it("keeps the link when the listing fails with 503", async () => {
      const { api, provider } = setup();
      const unavailable = atlasError(503, "SERVICE_UNAVAILABLE", "down");
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.rejects(unavailable);
      const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.ok(err.message.includes(`(${unavailable.message})`), err.message);
      assert.ok(err.message.endsWith("Run the command again once the listing succeeds."), err.message);
    });

    it("logs an unconfirmed 404 with the ids", async () => {
      const { api, provider, log } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.deepEqual(log.lines, [`${label} read failed: ${err.message} (0.0s elapsed)`]);
    });

    it("rejects on other errors", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.rejects(atlasError(500, "UNEXPECTED_ERROR", "boom"));
      const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
      assert.match(err.message, new RegExp(`^Failed to read PrivateEndpointInterfaceLink ${LINK_ID}: .*boom`));
    });

    const readFailures: [string, Error][] = [
      ["401", atlasError(401, "UNAUTHORIZED", "bad key")],
      ["403", atlasError(403, "ACCESS_FORBIDDEN", "no access")],
      ["429", atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", "slow down")],
      ["500", atlasError(500, "UNEXPECTED_ERROR", "boom")],
      ["503", atlasError(503, "SERVICE_UNAVAILABLE", "down")],
      ["a network error", new AtlasRequestError({ method: "GET", path: "/x", failure: "socket hang up" })],
    ];
    for (const [name, failure] of readFailures) {
      it(`rejects on ${name}`, async () => {
        const { api, provider } = setup();
        api.getInterfaceEndpoint.rejects(failure);
        const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
        assert.ok(err.message.startsWith(`Failed to read PrivateEndpointInterfaceLink ${LINK_ID}: `), err.message);
        assert.ok(err.message.includes(failure.message), err.message);
      });
    }

    it("logs a failed read with the ids", async () => {
      const { api, provider, log } = setup();
      api.getInterfaceEndpoint.rejects(atlasError(403, "ACCESS_FORBIDDEN", "no access"));
      const err = await rejectionOf(provider.read(LINK_ID, outputs("AVAILABLE")));
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.deepEqual(log.lines, [`${label} read failed: ${err.message} (0.0s elapsed)`]);
    });

    it("logs a link that is gone", async () => {
      const { api, provider, log } = setup();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.read(LINK_ID, outputs("AVAILABLE"));
      assert.match(log.lines[0], / was not found in Atlas, so it leaves the stack state /);
    });

    it("returns outputs and inputs", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "REJECTED", "gone wrong"));
      const props = { ...outputs("AVAILABLE"), timeouts: { delete: "2h" } };
      const result = await provider.read(LINK_ID, props);
      assert.equal(result.id, LINK_ID);
      assert.deepEqual(result.props, {
        ...IDS,
        timeouts: { delete: "2h" },
        connectionStatus: "REJECTED",
        deleteRequested: false,
        errorMessage: "gone wrong",
      });
      assert.deepEqual(result.inputs, { ...IDS, timeouts: { delete: "2h" } });
    });

    it("keeps adoptExisting in outputs and inputs", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.read(LINK_ID, { ...outputs("AVAILABLE"), adoptExisting: true });
      assert.deepEqual(result.props, { ...outputs("AVAILABLE"), adoptExisting: true });
      assert.deepEqual(result.inputs, { ...IDS, adoptExisting: true });
    });

    it("parses ids from the resource id", async () => {
      const { api, provider } = setup();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "AVAILABLE"));
      const result = await provider.read(LINK_ID, { __provider: "x" } as unknown as InterfaceLinkOutputs);
      assert.deepEqual(api.getInterfaceEndpoint.firstCall.args, [IDS.projectId, IDS.privateLinkId, VPCE]);
      assert.deepEqual(result.inputs, { ...IDS });
    });

    it("rejects an id that does not parse", async () => {
      const { provider } = setup();
      const err = await rejectionOf(provider.read("5f0a1b2c3d4e5f6a7b8c9d0e-vpce-1", undefined));
      assert.equal(err.name, "InvalidResourceIdError");
      assert.match(err.message, /Expected \{projectId\}--\{privateLinkId\}--\{interfaceEndpointId\}--AWS, e\.g\. /);
    });
  });

  describe("update", () => {
    it("changes only timeouts without API calls", async () => {
      const { api, provider } = setup();
      const olds = { ...outputs("AVAILABLE"), timeouts: { create: "1h" } };
      const result = await provider.update(LINK_ID, olds, { ...IDS, timeouts: { delete: "3h" } });
      assert.deepEqual(result.outs, { ...outputs("AVAILABLE"), timeouts: { delete: "3h" } });
      assert.equal(totalCalls(api), 0);
    });

    it("changes only adoptExisting without API calls", async () => {
      const { api, provider } = setup();
      const olds = { ...outputs("AVAILABLE"), adoptExisting: true };
      const result = await provider.update(LINK_ID, olds, { ...IDS, adoptExisting: false });
      assert.deepEqual(result.outs, { ...outputs("AVAILABLE"), adoptExisting: false });
      assert.equal(totalCalls(api), 0);
    });

    it("drops timeouts that were removed", async () => {
      const { provider } = setup();
      const olds = { ...outputs("AVAILABLE"), timeouts: { create: "1h" } };
      const result = await provider.update(LINK_ID, olds, { ...IDS });
      assert.deepEqual(result.outs, outputs("AVAILABLE"));
    });
  });

  describe("delete", () => {
    it("finishes after a confirmed 404 to the DELETE", async () => {
      const { api, provider } = setup();
      api.deleteInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.delete(LINK_ID, outputs("AVAILABLE"));
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
      assert.deepEqual(api.listEndpointServices.args, [[IDS.projectId]]);
    });

    it("keeps the link after an unconfirmed 404 to the DELETE", async () => {
      const { api, provider } = setup();
      api.deleteInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.delete(LINK_ID, outputs("AVAILABLE")));
      assert.equal(err.name, "UnconfirmedNotFoundError");
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.ok(err.message.includes("The link is kept in the state."), err.message);
      assert.equal(api.getInterfaceEndpoint.callCount, 0);
    });

    it("polls until a confirmed 404", async () => {
      const { api, provider, log } = setup();
      api.deleteInterfaceEndpoint.resolves();
      api.getInterfaceEndpoint.onCall(0).resolves(endpoint(VPCE, "DELETING"));
      api.getInterfaceEndpoint.onCall(1).resolves(endpoint(VPCE, "DELETING"));
      api.getInterfaceEndpoint.onCall(2).rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.delete(LINK_ID, outputs("AVAILABLE"));
      assert.equal(api.getInterfaceEndpoint.callCount, 3);
      assert.equal(api.listEndpointServices.callCount, 1);
      assert.match(log.lines[log.lines.length - 1], / deleted \(\d+\.\ds elapsed\)$/);
    });

    it("stops polling at an unconfirmed 404", async () => {
      const { api, provider } = setup();
      api.deleteInterfaceEndpoint.resolves();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.rejects(listingNotFound());
      const err = await rejectionOf(provider.delete(LINK_ID, outputs("AVAILABLE")));
      assert.ok(err.message.startsWith(UNCONFIRMED), err.message);
      assert.equal(api.getInterfaceEndpoint.callCount, 1);
    });

    it("polls again when the listing fails with 503", async () => {
      const { api, provider, log } = setup();
      api.deleteInterfaceEndpoint.resolves();
      api.getInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.onCall(0).rejects(atlasError(503, "SERVICE_UNAVAILABLE", "down"));
      api.listEndpointServices.onCall(1).resolves([]);
      await provider.delete(LINK_ID, outputs("AVAILABLE"));
      assert.equal(api.getInterfaceEndpoint.callCount, 2);
      assert.ok(log.lines.some((line) => line.includes(`read failed, retrying: ${UNCONFIRMED}`)));
    });

    it("times out naming the last status", async () => {
      const { api, provider } = setup();
      api.deleteInterfaceEndpoint.resolves();
      api.getInterfaceEndpoint.resolves(endpoint(VPCE, "DELETING"));
      const err = await rejectionOf(provider.delete(LINK_ID, { ...outputs("AVAILABLE"), timeouts: { delete: 2 } }));
      assert.match(err.message, /^Timed out after 2m waiting for Atlas to delete PrivateEndpointInterfaceLink /);
      assert.match(err.message, /the last status was DELETING, /);
      assert.match(err.message, /which means Atlas is still removing the interface endpoint from the endpoint service/);
    });

    const deleteFailures: [string, Error][] = [
      ["401", atlasError(401, "UNAUTHORIZED", "bad key")],
      ["429", atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", "slow down")],
      ["500", atlasError(500, "UNEXPECTED_ERROR", "boom")],
      ["a network error", new AtlasRequestError({ method: "DELETE", path: "/x", failure: "socket hang up" })],
    ];
    for (const [name, failure] of deleteFailures) {
      it(`rejects a DELETE that fails with ${name}`, async () => {
        const { api, provider } = setup();
        api.deleteInterfaceEndpoint.rejects(failure);
        const err = await rejectionOf(provider.delete(LINK_ID, outputs("AVAILABLE")));
        assert.ok(err.message.startsWith(`Failed to delete PrivateEndpointInterfaceLink ${LINK_ID}: `), err.message);
        assert.ok(err.message.includes(failure.message), err.message);
      });
    }

    it("logs a failed delete with the ids", async () => {
      const { api, provider, log } = setup();
      api.deleteInterfaceEndpoint.rejects(atlasError(403, "ACCESS_FORBIDDEN", "no access"));
      const err = await rejectionOf(provider.delete(LINK_ID, outputs("AVAILABLE")));
      const label = `PrivateEndpointInterfaceLink ${IDS.projectId}/${IDS.privateLinkId}/${VPCE}`;
      assert.equal(log.lines[log.lines.length - 1], `${label} delete failed: ${err.message} (0.0s elapsed)`);
    });

    it("rejects when the DELETE fails", async () => {
      const { api, provider } = setup();
      api.deleteInterfaceEndpoint.rejects(atlasError(403, "FORBIDDEN", "no access"));
      const err = await rejectionOf(provider.delete(LINK_ID, outputs("AVAILABLE")));
      assert.match(err.message, /^Failed to delete PrivateEndpointInterfaceLink .*no access/);
    });

    it("parses ids from the resource id", async () => {
      const { api, provider } = setup();
      api.deleteInterfaceEndpoint.rejects(notFound());
      api.listEndpointServices.resolves([]);
      await provider.delete(LINK_ID, {} as InterfaceLinkOutputs);
      assert.deepEqual(api.deleteInterfaceEndpoint.firstCall.args, [IDS.projectId, IDS.privateLinkId, VPCE]);
    });
  });

  describe("configure", () => {
    it("stores the config without reading it", async () => {
      const provider = new PrivateEndpointInterfaceLinkProvider();
      const reads: string[] = [];
      const config = {
        get: (key: string) => {
          reads.push(key);
          return undefined;
        },
        require: (key: string) => key,
      };
      await provider.configure({ config });
      assert.deepEqual(reads, []);
    });
  });
});
