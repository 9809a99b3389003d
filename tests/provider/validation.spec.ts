import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpointProvider } from "../../provider/privateEndpoint";
import type { PrivateEndpointInputs } from "../../provider/privateEndpoint";
import { PrivateEndpointInterfaceLinkProvider } from "../../provider/privateEndpointInterfaceLink";
import type { InterfaceLinkInputs } from "../../provider/privateEndpointInterfaceLink";
import { IDS, stubAtlasApi, totalCalls } from "./support/fakeAtlas";
import { DURATION_EXPECTATION, expectationOf, INVALID_ID_CASES, INVALID_TIMEOUTS_CASES } from "./support/invalidInputs";

const UNKNOWN = pulumi.runtime.unknownValue as string;
const SERVICE_INPUTS: PrivateEndpointInputs = { projectId: IDS.projectId, providerName: "AWS", region: "us-east-1" };

function linkProvider() {
  const api = stubAtlasApi();
  return { api, provider: new PrivateEndpointInterfaceLinkProvider({ api, log: () => undefined }) };
}

function serviceProvider() {
  const api = stubAtlasApi();
  return { api, provider: new PrivateEndpointProvider({ api, log: () => undefined }) };
}

describe("input checks", () => {
  describe("PrivateEndpointInterfaceLinkProvider.check", () => {
    for (const { property, value, subject, problem } of INVALID_ID_CASES) {
      it(`rejects ${property} ${String(JSON.stringify(value))}`, async () => {
        const { api, provider } = linkProvider();
        const news = { ...IDS, [property]: value } as InterfaceLinkInputs;
        const result = await provider.check({} as InterfaceLinkInputs, news);
        const failures = result.failures ?? [];
        assert.equal(failures.length, 1);
        assert.equal(failures[0].property, property);
        const start = problem === "" ? `${subject}: expected ` : `${subject} (${problem}): expected `;
        assert.ok(failures[0].reason.startsWith(start), failures[0].reason);
        assert.match(failures[0].reason, expectationOf(property));
        assert.equal(totalCalls(api), 0);
      });
    }

    for (const { timeouts, property, problem } of INVALID_TIMEOUTS_CASES) {
      it(`rejects timeouts ${JSON.stringify(timeouts)}`, async () => {
        const { provider } = linkProvider();
        const news = { ...IDS, timeouts } as InterfaceLinkInputs;
        const result = await provider.check({} as InterfaceLinkInputs, news);
        const failures = result.failures ?? [];
        const shown = JSON.stringify(Object.values(timeouts as object)[0]);
        assert.equal(failures.length, 1);
        assert.equal(failures[0].property, property);
        assert.ok(failures[0].reason.startsWith(`${property} ${shown} is invalid (`), failures[0].reason);
        assert.ok(failures[0].reason.includes(problem), failures[0].reason);
        assert.ok(failures[0].reason.endsWith(DURATION_EXPECTATION), failures[0].reason);
      });
    }

    it("rejects an unsupported timeouts field", async () => {
      const { provider } = linkProvider();
      const news = { ...IDS, timeouts: { update: "1h" } } as InterfaceLinkInputs;
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(result.failures, [
        { property: "timeouts.update", reason: "timeouts.update is not supported: expected only create and delete" },
      ]);
    });

    it("rejects timeouts that are not an object", async () => {
      const { provider } = linkProvider();
      const news = { ...IDS, timeouts: "2h" } as unknown as InterfaceLinkInputs;
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(
        (result.failures ?? []).map((failure) => failure.property),
        ["timeouts"],
      );
    });

    it("passes unknown timeouts fields", async () => {
      const { provider } = linkProvider();
      const news = { ...IDS, timeouts: { create: UNKNOWN, delete: "1h" } } as unknown as InterfaceLinkInputs;
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(result.failures, []);
    });

    it("accepts every valid timeouts form", async () => {
      const { provider } = linkProvider();
      const news = { ...IDS, timeouts: { create: "1h30m", delete: 45 } };
      const result = await provider.check({} as InterfaceLinkInputs, news);
      assert.deepEqual(result.failures, []);
    });
  });

  describe("PrivateEndpointProvider.check", () => {
    for (const { property, value, subject, problem } of INVALID_ID_CASES.filter((c) => c.property === "projectId")) {
      it(`rejects projectId ${String(JSON.stringify(value))}`, async () => {
        const { api, provider } = serviceProvider();
        const news = { ...SERVICE_INPUTS, projectId: value } as PrivateEndpointInputs;
        const result = await provider.check({} as PrivateEndpointInputs, news);
        const failures = result.failures ?? [];
        assert.equal(failures.length, 1);
        assert.equal(failures[0].property, property);
        const start = problem === "" ? `${subject}: expected ` : `${subject} (${problem}): expected `;
        assert.ok(failures[0].reason.startsWith(start), failures[0].reason);
        assert.equal(totalCalls(api), 0);
      });
    }

    for (const { timeouts, property, problem } of INVALID_TIMEOUTS_CASES) {
      it(`rejects timeouts ${JSON.stringify(timeouts)}`, async () => {
        const { provider } = serviceProvider();
        const news = { ...SERVICE_INPUTS, timeouts } as PrivateEndpointInputs;
        const result = await provider.check({} as PrivateEndpointInputs, news);
        const failures = result.failures ?? [];
        assert.equal(failures.length, 1);
        assert.equal(failures[0].property, property);
        assert.ok(failures[0].reason.includes(problem), failures[0].reason);
      });
    }
  });
});
