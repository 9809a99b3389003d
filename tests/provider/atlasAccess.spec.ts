import * as assert from "node:assert/strict";

import * as sinon from "sinon";

import { AtlasApiError, AtlasClient, AtlasRequestError } from "../../provider/atlas";
import type { AtlasApi, ConfigSource } from "../../provider/atlas";
import {
  atlasRetryDelayMs,
  EXHAUSTED_RETRY_POLL_DELAY_MS,
  invalidAtlasSetting,
  openAtlasApi,
} from "../../provider/atlasAccess";
import { PrivateEndpointInterfaceLinkProvider } from "../../provider/privateEndpointInterfaceLink";
import { AtlasStub } from "./atlas/support/atlasStub";
import { PRIVATE_KEY, PROJECT_ID, PUBLIC_KEY, SERVICE_ID } from "./atlas/support/fixtures";

const PATH = `/api/atlas/v2/groups/${PROJECT_ID}/privateEndpoint/AWS/endpointService/${SERVICE_ID}`;

function configOf(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

function apiError(statusCode: number, init: { retryAfterSeconds?: number; attempts?: number } = {}): AtlasApiError {
  return new AtlasApiError({ method: "GET", path: PATH, statusCode, body: "", ...init });
}

describe("openAtlasApi", () => {
  let stub: AtlasStub;

  beforeEach(async () => {
    stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    sinon.stub(process, "env").value({});
  });

  afterEach(async () => {
    sinon.restore();
    await stub.close();
  });

  function stubConfig(extra: Record<string, string> = {}): ConfigSource {
    return configOf({
      "mongodbatlas:publicKey": PUBLIC_KEY,
      "mongodbatlas:privateKey": PRIVATE_KEY,
      "mongodbatlas:baseUrl": stub.baseUrl,
      ...extra,
    });
  }

  it("returns the given api", () => {
    const api = {} as AtlasApi;

    assert.equal(openAtlasApi(undefined, api), api);
  });

  it("builds an AtlasClient from the settings", () => {
    assert.ok(openAtlasApi(stubConfig(), undefined) instanceof AtlasClient);
  });

  it("shares one client between calls with equal settings", () => {
    assert.equal(openAtlasApi(stubConfig(), undefined), openAtlasApi(stubConfig(), undefined));
  });

  it("pays one digest challenge across calls", async () => {
    stub.handler = () => ({ status: 200, body: JSON.stringify({ id: SERVICE_ID }) });

    await openAtlasApi(stubConfig(), undefined).getEndpointService(PROJECT_ID, SERVICE_ID);
    await openAtlasApi(stubConfig(), undefined).getEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(stub.requests.length, 3);
    assert.equal(stub.requests.filter((request) => request.authorization === undefined).length, 1);
  });

  it("applies mongodbatlas:maxRetries", async () => {
    stub.handler = () => ({ status: 429, headers: { "retry-after": "0" }, body: "{}" });
    const api = openAtlasApi(stubConfig({ "mongodbatlas:maxRetries": "2" }), undefined, () => undefined);

    await assert.rejects(api.getEndpointService(PROJECT_ID, SERVICE_ID), AtlasApiError);

    assert.equal(stub.requests.filter((request) => request.digestValid).length, 3);
  });

  it("writes retry lines to the given log", async () => {
    const lines: string[] = [];
    stub.handler = () => ({ status: 429, headers: { "retry-after": "0" }, body: "{}" });
    const api = openAtlasApi(stubConfig({ "mongodbatlas:maxRetries": "1" }), undefined, (line) => lines.push(line));

    await assert.rejects(api.getEndpointService(PROJECT_ID, SERVICE_ID), AtlasApiError);

    assert.deepEqual(lines, [`Atlas GET ${PATH} returned 429; retry 1 of 1 in 0.0s`]);
  });

  it("writes retry lines to console.log by default", async () => {
    const consoleLog = sinon.stub(console, "log");
    stub.handler = () => ({ status: 429, headers: { "retry-after": "0" }, body: "{}" });
    const api = openAtlasApi(stubConfig({ "mongodbatlas:maxRetries": "1" }), undefined);

    try {
      await assert.rejects(api.getEndpointService(PROJECT_ID, SERVICE_ID), AtlasApiError);
    } finally {
      consoleLog.restore();
    }

    assert.deepEqual(consoleLog.args, [[`Atlas GET ${PATH} returned 429; retry 1 of 1 in 0.0s`]]);
  });

  it("rejects an invalid setting by name", () => {
    assert.throws(() => openAtlasApi(stubConfig({ "mongodbatlas:retryTimeout": "soon" }), undefined), {
      message: /^Invalid mongodbatlas:retryTimeout "soon": /,
    });
  });

  it("rejects plain http to a remote host", () => {
    assert.throws(() => openAtlasApi(stubConfig({ "mongodbatlas:baseUrl": "http://atlas.example.com" }), undefined), {
      message: /the scheme http to the host atlas\.example\.com would send requests unencrypted/,
    });
  });

  it("allows remote http when opted in", () => {
    const config = stubConfig({
      "mongodbatlas:baseUrl": "http://atlas.example.com",
      "mongodbatlas:allowInsecureHttp": "true",
    });

    assert.ok(openAtlasApi(config, undefined) instanceof AtlasClient);
  });
});

describe("atlasRetryDelayMs", () => {
  for (const status of [400, 401, 403, 404, 409]) {
    it(`ends the wait on ${status}`, () => {
      assert.equal(atlasRetryDelayMs(apiError(status)), undefined);
    });
  }

  for (const status of [408, 500, 502, 503, 504]) {
    it(`polls again at once after a single ${status}`, () => {
      assert.equal(atlasRetryDelayMs(apiError(status)), 0);
    });
  }

  it("waits the Retry-After of a single 429", () => {
    assert.equal(atlasRetryDelayMs(apiError(429, { retryAfterSeconds: 55 })), 55_000);
  });

  it("holds off after the client retried to exhaustion", () => {
    assert.equal(atlasRetryDelayMs(apiError(503, { attempts: 5 })), EXHAUSTED_RETRY_POLL_DELAY_MS);
  });

  it("waits a Retry-After the client did not wait for", () => {
    const err = apiError(429, { retryAfterSeconds: 600, attempts: 2 });

    assert.equal(atlasRetryDelayMs(err), 600_000);
  });

  it("holds off after retried request errors", () => {
    const err = new AtlasRequestError({ method: "GET", path: PATH, failure: "socket hang up", attempts: 5 });

    assert.equal(atlasRetryDelayMs(err), EXHAUSTED_RETRY_POLL_DELAY_MS);
  });

  it("polls again at once after a single request error", () => {
    const err = new AtlasRequestError({ method: "GET", path: PATH, failure: "socket hang up" });

    assert.equal(atlasRetryDelayMs(err), 0);
  });

  it("polls again at once after a plain Error", () => {
    assert.equal(atlasRetryDelayMs(new Error("connection lost")), 0);
  });

  it("ends the wait on a TypeError", () => {
    assert.equal(atlasRetryDelayMs(new TypeError("x is undefined")), undefined);
  });
});

describe("invalidAtlasSetting", () => {
  const KEYS = { "mongodbatlas:publicKey": PUBLIC_KEY, "mongodbatlas:privateKey": PRIVATE_KEY };

  beforeEach(() => {
    sinon.stub(process, "env").value({});
  });

  afterEach(() => {
    sinon.restore();
  });

  it("returns the error of an invalid API setting", () => {
    const err = invalidAtlasSetting(configOf({ ...KEYS, "mongodbatlas:privateEndpointApi": "v1" }), undefined);
    assert.equal(err?.message, 'Invalid mongodbatlas:privateEndpointApi "v1": expected "v2" or "legacy".');
  });

  it("returns the error of an invalid environment setting", () => {
    sinon.stub(process, "env").value({ MONGODB_ATLAS_MAX_RETRIES: "abc" });
    const err = invalidAtlasSetting(configOf(KEYS), undefined);
    assert.ok(err?.message.startsWith('Invalid MONGODB_ATLAS_MAX_RETRIES "abc"'), err?.message);
  });

  it("accepts valid settings", () => {
    assert.equal(
      invalidAtlasSetting(configOf({ ...KEYS, "mongodbatlas:privateEndpointApi": "legacy" }), undefined),
      undefined,
    );
  });

  it("leaves missing credentials to the calls", () => {
    assert.equal(invalidAtlasSetting(configOf({}), undefined), undefined);
  });

  it("rejects the provider check", async () => {
    const provider = new PrivateEndpointInterfaceLinkProvider();
    const config = configOf({ ...KEYS, "mongodbatlas:privateEndpointApi": "bogus" });
    await provider.configure({ config } as unknown as Parameters<typeof provider.configure>[0]);
    await assert.rejects(
      provider.check({} as never, {
        projectId: "5f0a1b2c3d4e5f6a7b8c9d0e",
        privateLinkId: "6a0b1c2d3e4f5a6b7c8d9e0f",
        interfaceEndpointId: "vpce-0a1b2c3d4e5f60718",
      }),
      /Invalid mongodbatlas:privateEndpointApi "bogus"/,
    );
  });
});
