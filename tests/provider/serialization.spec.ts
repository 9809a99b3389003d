import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpointProvider } from "../../provider/privateEndpoint";
import { PrivateEndpointInterfaceLinkProvider } from "../../provider/privateEndpointInterfaceLink";
import { rejectionOf, withEnv } from "./support/assertions";
import { IDS } from "./support/fakeAtlas";
import { loadSerializedProvider } from "./support/serialized";
import type { StubAtlasServer, StubResponse } from "./support/stubAtlasServer";
import { startStubAtlasServer } from "./support/stubAtlasServer";

const ENV_PUBLIC_KEY = "envpub-QZ7K2M9X";
const ENV_PRIVATE_KEY = "envpriv-4c1f9e7a-b2d8-4e3a-9f60-7d5b3c2a1e08";
const CONFIG_PUBLIC_KEY = "cfgpub-H3J8W5R1";
const CONFIG_PRIVATE_KEY = "cfgpriv-0b8e6d4c-2a1f-4d9e-8c7b-5a3f1e0d9c2b";
const LINK_ID = `${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`;
const LINK_PATH = `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService/${IDS.privateLinkId}/endpoint/${IDS.interfaceEndpointId}`;
const SERVICE_PATH = `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService/${IDS.privateLinkId}`;
const LIST_PATH = `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService`;

/** Serializes `provider` the way pulumi.dynamic.Resource does and loads it back the way the provider process does. */
async function roundTrip(provider: object): Promise<{ text: string; loaded: pulumi.dynamic.ResourceProvider }> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return { text: serialized.text, loaded: loadSerializedProvider(serialized.text) };
}

function configOf(values: Record<string, string>): pulumi.dynamic.Config {
  return {
    get: (key) => values[key],
    require: (key) => {
      const value = values[key];
      assert.ok(value !== undefined, `missing config ${key}`);
      return value;
    },
  };
}

describe("serialized providers", () => {
  let server: StubAtlasServer;
  let routes: Record<string, StubResponse>;

  beforeEach(async () => {
    routes = {};
    server = await startStubAtlasServer(
      [
        [CONFIG_PUBLIC_KEY, CONFIG_PRIVATE_KEY],
        [ENV_PUBLIC_KEY, ENV_PRIVATE_KEY],
      ],
      (method, path) => routes[`${method} ${path}`] ?? { status: 404, body: { error: 404, errorCode: "NOT_FOUND" } },
    );
  });

  afterEach(async () => {
    await server.close();
  });

  const envCredentials = () => ({
    MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC_KEY,
    MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE_KEY,
    MONGODB_ATLAS_BASE_URL: server.baseUrl,
  });

  describe("PrivateEndpointInterfaceLinkProvider", () => {
    it("contains no credential from the environment", async () => {
      const { text } = await withEnv(envCredentials(), () => roundTrip(new PrivateEndpointInterfaceLinkProvider()));
      console.log(`      serialized PrivateEndpointInterfaceLinkProvider: ${Buffer.byteLength(text)} bytes`);
      assert.equal(text.includes(ENV_PUBLIC_KEY), false);
      assert.equal(text.includes(ENV_PRIVATE_KEY), false);
    });

    it("checks inputs after loading", async () => {
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider());
      const result = await loaded.check!({}, { ...IDS, interfaceEndpointId: "VPCE-123" });
      assert.equal(result.failures?.length, 1);
      assert.match(result.failures?.[0].reason ?? "", /^interfaceEndpointId "VPCE-123" is invalid/);
    });

    it("reads with the credentials given to configure", async () => {
      routes[`GET ${LINK_PATH}`] = {
        status: 200,
        body: { cloudProvider: "AWS", interfaceEndpointId: IDS.interfaceEndpointId, connectionStatus: "AVAILABLE" },
      };
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider());
      await loaded.configure!({
        config: configOf({
          "mongodbatlas:publicKey": CONFIG_PUBLIC_KEY,
          "mongodbatlas:privateKey": CONFIG_PRIVATE_KEY,
          "mongodbatlas:baseUrl": server.baseUrl,
        }),
      });
      const result = await withEnv(envCredentials(), () => loaded.read!(LINK_ID, {}));
      assert.equal((result.props as Record<string, unknown>).connectionStatus, "AVAILABLE");
      assert.deepEqual(
        server.requests.map((request) => request.username),
        [CONFIG_PUBLIC_KEY],
      );
    });

    it("falls back to environment credentials without configure", async () => {
      routes[`GET ${LINK_PATH}`] = {
        status: 200,
        body: { cloudProvider: "AWS", interfaceEndpointId: IDS.interfaceEndpointId, connectionStatus: "PENDING" },
      };
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider());
      await withEnv(envCredentials(), () => loaded.read!(LINK_ID, {}));
      assert.deepEqual(
        server.requests.map((request) => request.username),
        [ENV_PUBLIC_KEY],
      );
    });

    it("treats a confirmed 404 as gone after loading", async () => {
      routes[`GET ${LIST_PATH}`] = { status: 200, body: [] };
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider({ log: () => undefined }));
      const result = await withEnv(envCredentials(), () => loaded.read!(LINK_ID, { ...IDS }));
      assert.deepEqual(result, {});
    });

    it("keeps the link under a wrong base URL path after loading", async () => {
      routes[`GET ${LIST_PATH}`] = { status: 200, body: [] };
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider({ log: () => undefined }));
      const env = { ...envCredentials(), MONGODB_ATLAS_BASE_URL: `${server.baseUrl}/atlas` };
      const err = await withEnv(env, () => rejectionOf(loaded.read!(LINK_ID, { ...IDS })));
      assert.equal(err.name, "UnconfirmedNotFoundError");
      assert.ok(err.message.includes(`for GET /atlas${LIST_PATH}`), err.message);
      assert.equal(err.message.includes(ENV_PRIVATE_KEY), false);
    });

    it("keeps Atlas's message in errors after loading", async () => {
      routes[`GET ${LINK_PATH}`] = {
        status: 400,
        body: {
          error: 400,
          errorCode: "PATH_PARAM_PARSE_ERROR",
          detail: "One or more path parameter is malformed.",
          reason: "Bad Request",
        },
      };
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider({ log: () => undefined }));
      const err = await withEnv(envCredentials(), () => rejectionOf(loaded.read!(LINK_ID, {})));
      assert.match(
        err.message,
        /^Failed to read PrivateEndpointInterfaceLink .*Atlas returned 400 PATH_PARAM_PARSE_ERROR/,
      );
      assert.equal(err.message.includes(ENV_PRIVATE_KEY), false);
    });

    it("reports a REJECTED create after loading", async () => {
      routes[`POST ${SERVICE_PATH}/endpoint`] = {
        status: 200,
        body: {
          cloudProvider: "AWS",
          interfaceEndpointId: IDS.interfaceEndpointId,
          connectionStatus: "REJECTED",
          errorMessage: "The VPC endpoint was rejected",
        },
      };
      const { loaded } = await roundTrip(new PrivateEndpointInterfaceLinkProvider({ log: () => undefined }));
      const err = await withEnv(envCredentials(), () => rejectionOf(loaded.create({ ...IDS })));
      assert.equal(err.id, LINK_ID);
      assert.match(err.message, /The VPC endpoint was rejected/);
    });
  });

  describe("PrivateEndpointProvider", () => {
    it("contains no credential from the environment", async () => {
      const { text } = await withEnv(envCredentials(), () => roundTrip(new PrivateEndpointProvider()));
      console.log(`      serialized PrivateEndpointProvider: ${Buffer.byteLength(text)} bytes`);
      assert.equal(text.includes(ENV_PUBLIC_KEY), false);
      assert.equal(text.includes(ENV_PRIVATE_KEY), false);
    });

    it("reads with the credentials given to configure", async () => {
      routes[`GET ${SERVICE_PATH}`] = {
        status: 200,
        body: { id: IDS.privateLinkId, cloudProvider: "AWS", status: "AVAILABLE", regionName: "US_EAST_1" },
      };
      const { loaded } = await roundTrip(new PrivateEndpointProvider());
      const check = await loaded.check!({}, { projectId: IDS.projectId, region: "us-east-1" });
      assert.deepEqual(check.failures, []);
      await loaded.configure!({
        config: configOf({
          "mongodbatlas:publicKey": CONFIG_PUBLIC_KEY,
          "mongodbatlas:privateKey": CONFIG_PRIVATE_KEY,
          "mongodbatlas:baseUrl": server.baseUrl,
        }),
      });
      const result = await loaded.read!(`${IDS.projectId}--${IDS.privateLinkId}--AWS--us-east-1`, {});
      assert.equal((result.props as Record<string, unknown>).status, "AVAILABLE");
      assert.deepEqual(
        server.requests.map((request) => request.username),
        [CONFIG_PUBLIC_KEY],
      );
    });
  });
});
