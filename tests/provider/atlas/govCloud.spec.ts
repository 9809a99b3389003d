import * as assert from "node:assert/strict";

import { AtlasClient, resolveClientSettings } from "../../../provider/atlas";
import type { AtlasHttpRequest, AtlasResponse, ConfigSource } from "../../../provider/atlas";
import { PRIVATE_KEY, PROJECT_ID, PUBLIC_KEY } from "./support/fixtures";

const CLIENT_SECRET = "mdb_sa_sk_0123456789abcdef0123456789abcdef01234567";
const LIST_PATH = `/api/atlas/v2/groups/${PROJECT_ID}/privateEndpoint/AWS/endpointService`;

function configOf(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

/**
 * A transport that records every request and responds without any network: a token response for the token endpoint
 * and an empty list for every other path.
 */
class RecordingTransport {
  readonly requests: AtlasHttpRequest[] = [];

  readonly send = (request: AtlasHttpRequest): Promise<AtlasResponse> => {
    this.requests.push(request);
    const isToken = request.url.pathname.endsWith("/api/oauth/token");
    const body = isToken ? { access_token: "stub-token", token_type: "Bearer", expires_in: 3600 } : [];
    return Promise.resolve({
      method: request.method,
      status: 200,
      headers: {},
      text: JSON.stringify(body),
      path: request.url.pathname,
    });
  };

  get urls(): string[] {
    return this.requests.map((request) => `${request.method} ${request.url.href}`);
  }
}

describe("Atlas for Government", () => {
  // Tokens are cached per process and service account, so every test uses a client id of its own.
  let testNumber = 0;
  let clientId = "";

  beforeEach(() => {
    testNumber += 1;
    clientId = `mdb_sa_id_gov${String(testNumber).padStart(21, "0")}`;
  });

  it("sends the token request and API calls to cloud.mongodbgov.com", async () => {
    const transport = new RecordingTransport();
    const settings = resolveClientSettings(
      configOf({
        "mongodbatlas:isMongodbgovCloud": "true",
        "mongodbatlas:clientId": clientId,
        "mongodbatlas:clientSecret": CLIENT_SECRET,
      }),
      {},
    );

    await new AtlasClient({ ...settings, transport: transport.send }).listEndpointServices(PROJECT_ID);

    assert.deepEqual(transport.urls, [
      "POST https://cloud.mongodbgov.com/api/oauth/token",
      `GET https://cloud.mongodbgov.com${LIST_PATH}`,
    ]);
  });

  it("sends the token request with Basic auth and a form body", async () => {
    const transport = new RecordingTransport();
    const settings = resolveClientSettings(undefined, {
      MONGODB_ATLAS_IS_MONGODBGOV_CLOUD: "true",
      MONGODB_ATLAS_CLIENT_ID: clientId,
      MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
    });

    await new AtlasClient({ ...settings, transport: transport.send }).listEndpointServices(PROJECT_ID);

    const [token, call] = transport.requests;
    const basic = Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString("base64");
    assert.equal(token.authorization, `Basic ${basic}`);
    assert.equal(token.content, "grant_type=client_credentials");
    assert.equal(token.contentType, "application/x-www-form-urlencoded");
    assert.equal(call.authorization, "Bearer stub-token");
  });

  it("sends API key calls to cloud.mongodbgov.com", async () => {
    const transport = new RecordingTransport();
    const settings = resolveClientSettings(undefined, {
      MONGODB_ATLAS_IS_MONGODBGOV_CLOUD: "true",
      MONGODB_ATLAS_PUBLIC_KEY: PUBLIC_KEY,
      MONGODB_ATLAS_PRIVATE_KEY: PRIVATE_KEY,
    });

    await new AtlasClient({ ...settings, transport: transport.send }).listEndpointServices(PROJECT_ID);

    assert.deepEqual(transport.urls, [`GET https://cloud.mongodbgov.com${LIST_PATH}`]);
  });

  it("lets an explicit base URL win over the flag", async () => {
    const transport = new RecordingTransport();
    const settings = resolveClientSettings(
      configOf({
        "mongodbatlas:isMongodbgovCloud": "true",
        "mongodbatlas:baseUrl": "http://127.0.0.1:9/prefix",
        "mongodbatlas:clientId": clientId,
        "mongodbatlas:clientSecret": CLIENT_SECRET,
      }),
      {},
    );

    await new AtlasClient({ ...settings, transport: transport.send }).listEndpointServices(PROJECT_ID);

    assert.deepEqual(transport.urls, [
      "POST http://127.0.0.1:9/prefix/api/oauth/token",
      `GET http://127.0.0.1:9/prefix${LIST_PATH}`,
    ]);
  });

  it("sends to cloud.mongodb.com without the flag", async () => {
    const transport = new RecordingTransport();
    const settings = resolveClientSettings(undefined, {
      MONGODB_ATLAS_CLIENT_ID: clientId,
      MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
    });

    await new AtlasClient({ ...settings, transport: transport.send }).listEndpointServices(PROJECT_ID);

    assert.deepEqual(transport.urls, [
      "POST https://cloud.mongodb.com/api/oauth/token",
      `GET https://cloud.mongodb.com${LIST_PATH}`,
    ]);
  });
});
