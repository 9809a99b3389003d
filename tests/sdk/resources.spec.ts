import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import sinon from "sinon";
import { PrivateEndpoint, PrivateEndpointInterfaceLink } from "../../sdk";
import { IDS } from "../provider/support/fakeAtlas";
import { loadSerializedProvider } from "../provider/support/serialized";
import type { StubAtlasServer } from "../provider/support/stubAtlasServer";
import { startStubAtlasServer } from "../provider/support/stubAtlasServer";

const PUBLIC_KEY = "sdkpub-R7T2Y8U4";
const PRIVATE_KEY = "sdkpriv-9d3e5f7a-1b2c-4d6e-8f0a-2b4c6d8e0f1a";
const LINK_ID = `${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`;
const ENDPOINT_ID = `${IDS.projectId}--${IDS.privateLinkId}--AWS--us-east-1`;
const SERVICE_PATH = `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService/${IDS.privateLinkId}`;
const LINK_BODY = { cloudProvider: "AWS", interfaceEndpointId: IDS.interfaceEndpointId, connectionStatus: "AVAILABLE" };
const SERVICE_BODY = {
  id: IDS.privateLinkId,
  cloudProvider: "AWS",
  endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718",
  errorMessage: null,
  interfaceEndpoints: [IDS.interfaceEndpointId],
  regionName: "US_EAST_1",
  status: "AVAILABLE",
};

/** Resolves an Output's value; the internal promise() rejects when the mocked registration fails. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("SDK resources", () => {
  let server: StubAtlasServer;
  const registrations: pulumi.runtime.MockResourceArgs[] = [];
  const savedEnv: Record<string, string | undefined> = {};
  const quiet = sinon.createSandbox();

  before(async () => {
    // The providers print progress lines; keep them out of the test report.
    quiet.stub(console, "log");
    server = await startStubAtlasServer([[PUBLIC_KEY, PRIVATE_KEY]], (method, path) => {
      if (method === "POST" && path === `${SERVICE_PATH}/endpoint`) {
        return { status: 200, body: LINK_BODY };
      }
      if (method === "GET" && path === `${SERVICE_PATH}/endpoint/${IDS.interfaceEndpointId}`) {
        return { status: 200, body: LINK_BODY };
      }
      if (method === "POST" && path === `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/endpointService`) {
        return { status: 200, body: SERVICE_BODY };
      }
      if (method === "GET" && path === SERVICE_PATH) {
        return { status: 200, body: SERVICE_BODY };
      }
      return { status: 404, body: { error: 404, errorCode: "RESOURCE_NOT_FOUND" } };
    });
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: PUBLIC_KEY,
      MONGODB_ATLAS_PRIVATE_KEY: PRIVATE_KEY,
      MONGODB_ATLAS_BASE_URL: server.baseUrl,
    };
    for (const [name, value] of Object.entries(env)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }

    // Plays the engine's part: loads the serialized provider from the inputs, then runs check and create for a new
    // resource, or read for one declared with an id.
    await pulumi.runtime.setMocks(
      {
        newResource: async (args) => {
          registrations.push(args);
          const inputs = args.inputs as Record<string, unknown>;
          const provider = loadSerializedProvider(inputs.__provider as string);
          if (args.id) {
            const read = await provider.read!(args.id, inputs);
            return { id: read.id, state: read.props as Record<string, unknown> };
          }
          const checked = await provider.check!({}, inputs);
          assert.deepEqual(checked.failures, []);
          const created = await provider.create(checked.inputs);
          return { id: created.id, state: created.outs as Record<string, unknown> };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
  });

  after(async () => {
    quiet.restore();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    await server.close();
  });

  function registrationOf(name: string): pulumi.runtime.MockResourceArgs {
    const found = registrations.find((args) => args.name === name);
    assert.ok(found, `no registration named ${name}`);
    return found;
  }

  describe("PrivateEndpointInterfaceLink", () => {
    it("resolves every output", async () => {
      const link = new PrivateEndpointInterfaceLink("link", { ...IDS, timeouts: { create: "30m" } });
      assert.equal(await valueOf(link.id), LINK_ID);
      assert.equal(await valueOf(link.projectId), IDS.projectId);
      assert.equal(await valueOf(link.privateLinkId), IDS.privateLinkId);
      assert.equal(await valueOf(link.interfaceEndpointId), IDS.interfaceEndpointId);
      assert.deepEqual(await valueOf(link.timeouts), { create: "30m" });
      assert.equal(await valueOf(link.connectionStatus), "AVAILABLE");
      assert.equal(await valueOf(link.deleteRequested), false);
      assert.equal(await valueOf(link.errorMessage), null);
    });

    it("registers with its own type token", async () => {
      const link = new PrivateEndpointInterfaceLink("typed-link", { ...IDS });
      await valueOf(link.id);
      assert.equal(
        registrationOf("typed-link").type,
        "pulumi-nodejs:dynamic/atlas-privatelink:PrivateEndpointInterfaceLink",
      );
    });

    it("stores no credential in the serialized provider", async () => {
      const link = new PrivateEndpointInterfaceLink("secret-free-link", { ...IDS });
      await valueOf(link.id);
      const inputs = registrationOf("secret-free-link").inputs as Record<string, unknown>;
      const text = inputs.__provider as string;
      assert.equal(text.includes(PUBLIC_KEY), false);
      assert.equal(text.includes(PRIVATE_KEY), false);
    });

    it("does not share props between resources", async () => {
      const args = { ...IDS };
      const first = new PrivateEndpointInterfaceLink("first-link", args);
      const second = new PrivateEndpointInterfaceLink("second-link", args);
      await Promise.all([valueOf(first.id), valueOf(second.id)]);
      assert.equal(Object.keys(args).includes("__provider"), false);
    });

    it("reads an existing link through get", async () => {
      const existing = PrivateEndpointInterfaceLink.get("existing-link", LINK_ID);
      assert.equal(await valueOf(existing.interfaceEndpointId), IDS.interfaceEndpointId);
      assert.equal(await valueOf(existing.connectionStatus), "AVAILABLE");
      assert.equal(registrationOf("existing-link").id, LINK_ID);
    });
  });

  describe("PrivateEndpoint", () => {
    it("resolves every output", async () => {
      const endpoint = new PrivateEndpoint("endpoint", { projectId: IDS.projectId, region: "us-east-1" });
      assert.equal(await valueOf(endpoint.id), ENDPOINT_ID);
      assert.equal(await valueOf(endpoint.providerName), "AWS");
      assert.equal(await valueOf(endpoint.region), "us-east-1");
      assert.equal(await valueOf(endpoint.privateLinkId), IDS.privateLinkId);
      assert.equal(await valueOf(endpoint.endpointServiceName), SERVICE_BODY.endpointServiceName);
      assert.equal(await valueOf(endpoint.status), "AVAILABLE");
      assert.equal(await valueOf(endpoint.errorMessage), null);
      assert.deepEqual(await valueOf(endpoint.interfaceEndpoints), [IDS.interfaceEndpointId]);
      assert.equal(await valueOf(endpoint.regionName), "US_EAST_1");
    });

    it("registers with its own type token", async () => {
      const endpoint = new PrivateEndpoint("typed-endpoint", { projectId: IDS.projectId, region: "us-east-1" });
      await valueOf(endpoint.id);
      assert.equal(registrationOf("typed-endpoint").type, "pulumi-nodejs:dynamic/atlas-privatelink:PrivateEndpoint");
    });

    it("adopts an existing endpoint service through get", async () => {
      const adopted = PrivateEndpoint.get("adopted-endpoint", ENDPOINT_ID);
      assert.equal(await valueOf(adopted.projectId), IDS.projectId);
      assert.equal(await valueOf(adopted.region), "us-east-1");
      assert.equal(await valueOf(adopted.privateLinkId), IDS.privateLinkId);
    });
  });
});
