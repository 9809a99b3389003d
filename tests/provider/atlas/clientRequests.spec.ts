import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { AtlasClient, AtlasRequestError } from "../../../provider/atlas";
import type { AtlasApi } from "../../../provider/atlas";
import { AtlasStub } from "./support/atlasStub";
import type { StubReply } from "./support/atlasStub";
import { GROUP_PATH, PRIVATE_KEY, PROJECT_ID, PUBLIC_KEY, SERVICE_ID, VPCE_ID, rejectionOf } from "./support/fixtures";

const MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";

const SERVICE = {
  id: SERVICE_ID,
  cloudProvider: "AWS",
  endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890",
  errorMessage: null,
  interfaceEndpoints: [VPCE_ID],
  regionName: "US_EAST_1",
  status: "AVAILABLE",
};

const ENDPOINT = {
  cloudProvider: "AWS",
  interfaceEndpointId: VPCE_ID,
  connectionStatus: "PENDING_ACCEPTANCE",
  deleteRequested: false,
  errorMessage: null,
};

interface Operation {
  name: string;
  call: (client: AtlasApi) => Promise<unknown>;
  method: string;
  path: string;
  /** Expected JSON request body, or undefined for none. */
  body?: unknown;
  reply: StubReply;
  /** Expected resolved value. */
  result: unknown;
}

const SERVICE_PATH = `${GROUP_PATH}/AWS/endpointService/${SERVICE_ID}`;

const OPERATIONS: Operation[] = [
  {
    name: "createEndpointService",
    call: (client) => client.createEndpointService(PROJECT_ID, "us-east-1"),
    method: "POST",
    path: `${GROUP_PATH}/endpointService`,
    body: { providerName: "AWS", region: "us-east-1" },
    reply: { status: 200, body: JSON.stringify(SERVICE) },
    result: SERVICE,
  },
  {
    name: "listEndpointServices",
    call: (client) => client.listEndpointServices(PROJECT_ID),
    method: "GET",
    path: `${GROUP_PATH}/AWS/endpointService`,
    reply: { status: 200, body: JSON.stringify([SERVICE]) },
    result: [SERVICE],
  },
  {
    name: "getEndpointService",
    call: (client) => client.getEndpointService(PROJECT_ID, SERVICE_ID),
    method: "GET",
    path: SERVICE_PATH,
    reply: { status: 200, body: JSON.stringify(SERVICE) },
    result: SERVICE,
  },
  {
    name: "deleteEndpointService",
    call: (client) => client.deleteEndpointService(PROJECT_ID, SERVICE_ID),
    method: "DELETE",
    path: SERVICE_PATH,
    reply: { status: 204 },
    result: undefined,
  },
  {
    name: "createInterfaceEndpoint",
    call: (client) => client.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
    method: "POST",
    path: `${SERVICE_PATH}/endpoint`,
    body: { id: VPCE_ID },
    reply: { status: 200, body: JSON.stringify(ENDPOINT) },
    result: ENDPOINT,
  },
  {
    name: "getInterfaceEndpoint",
    call: (client) => client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
    method: "GET",
    path: `${SERVICE_PATH}/endpoint/${VPCE_ID}`,
    reply: { status: 200, body: JSON.stringify(ENDPOINT) },
    result: ENDPOINT,
  },
  {
    name: "deleteInterfaceEndpoint",
    call: (client) => client.deleteInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
    method: "DELETE",
    path: `${SERVICE_PATH}/endpoint/${VPCE_ID}`,
    reply: { status: 204 },
    result: undefined,
  },
];

describe("AtlasClient requests", () => {
  let stub: AtlasStub;
  let client: AtlasClient;

  beforeEach(async () => {
    stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
  });

  afterEach(async () => {
    await stub.close();
  });

  for (const operation of OPERATIONS) {
    context(operation.name, () => {
      beforeEach(() => {
        stub.handler = () => operation.reply;
      });

      it(`sends ${operation.method} to its path`, async () => {
        await operation.call(client);

        const authenticated = stub.requests[1];
        assert.equal(authenticated.method, operation.method);
        assert.equal(authenticated.url, operation.path);
      });

      it("sends the expected body", async () => {
        await operation.call(client);

        const sent = stub.requests[1].body;
        assert.deepEqual(sent === "" ? undefined : JSON.parse(sent), operation.body);
      });

      it("resolves with the response body", async () => {
        const result = await operation.call(client);

        assert.deepEqual(result, operation.result);
      });

      it("sends the versioned Accept header on every request", async () => {
        await operation.call(client);

        for (const request of stub.requests) {
          assert.equal(request.headers.accept, MEDIA_TYPE);
        }
      });

      it("sends the versioned Content-Type only with a body", async () => {
        await operation.call(client);

        const expected = operation.body === undefined ? undefined : MEDIA_TYPE;
        for (const request of stub.requests) {
          assert.equal(request.headers["content-type"], expected);
        }
      });
    });
  }

  it("sends the package name and version as User-Agent", async () => {
    const manifestPath = join(__dirname, "..", "..", "..", "..", "package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name: string; version: string };

    await client.getEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(stub.requests[0].headers["user-agent"], `${manifest.name}/${manifest.version}`);
  });

  it("sends the userAgent option as User-Agent", async () => {
    client = new AtlasClient({
      baseUrl: stub.baseUrl,
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      userAgent: "ci/7",
    });

    await client.getEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(stub.requests[1].headers["user-agent"], "ci/7");
  });

  it("percent-encodes every path segment", async () => {
    await client.getInterfaceEndpoint("p/1", "s%2", "vpce x?#");

    assert.equal(
      stub.requests[1].url,
      "/api/atlas/v2/groups/p%2F1/privateEndpoint/AWS/endpointService/s%252/endpoint/vpce%20x%3F%23",
    );
  });

  it("authenticates a percent-encoded path", async () => {
    await client.getInterfaceEndpoint("p/1", "s%2", "vpce x?#");

    assert.equal(stub.requests[1].digestValid, true);
  });

  for (const id of ["", ".", ".."]) {
    it(`rejects the path parameter "${id}" without sending`, async () => {
      const err = await rejectionOf(client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, id));

      assert.ok(err instanceof Error);
      assert.equal(
        err.message,
        `Invalid interfaceEndpointId "${id}": an Atlas path parameter must not be empty, "." or "..".`,
      );
      assert.equal(stub.requests.length, 0);
    });
  }

  it("ignores trailing slashes in the base URL", async () => {
    client = new AtlasClient({ baseUrl: `${stub.baseUrl}//`, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });

    await client.getEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(stub.requests[1].url, SERVICE_PATH);
  });

  it("keeps a path prefix of the base URL", async () => {
    client = new AtlasClient({ baseUrl: `${stub.baseUrl}/atlas/`, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });

    await client.getEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(stub.requests[1].url, `/atlas${SERVICE_PATH}`);
  });

  it("accepts 200 with {} for a delete", async () => {
    stub.handler = () => ({ status: 200, body: "{}" });

    const result = await client.deleteInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);

    assert.equal(result, undefined);
  });

  it("accepts 202 with no body for a delete", async () => {
    stub.handler = () => ({ status: 202 });

    const result = await client.deleteEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(result, undefined);
  });

  it("accepts a results page for the service list", async () => {
    stub.handler = () => ({ status: 200, body: JSON.stringify({ results: [SERVICE], totalCount: 1 }) });

    const services = await client.listEndpointServices(PROJECT_ID);

    assert.deepEqual(services, [SERVICE]);
  });

  it("rejects a service list that is not an array", async () => {
    stub.handler = () => ({ status: 200, body: JSON.stringify(SERVICE) });

    const err = await rejectionOf(client.listEndpointServices(PROJECT_ID));

    assert.ok(err instanceof AtlasRequestError);
    assert.equal(
      err.message,
      `GET ${GROUP_PATH}/AWS/endpointService failed: ` +
        "Atlas returned 200 with a JSON body that is not a list of endpoint services",
    );
  });

  it("rejects a 200 body that is not JSON", async () => {
    stub.handler = () => ({ status: 200, body: "<html>maintenance</html>" });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasRequestError);
    assert.equal(
      err.message,
      `GET ${SERVICE_PATH} failed: Atlas returned 200 with a body that is not JSON: <html>maintenance</html>`,
    );
  });

  it("rejects an empty 200 body for a create", async () => {
    stub.handler = () => ({ status: 200 });

    const err = await rejectionOf(client.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

    assert.ok(err instanceof AtlasRequestError);
    assert.equal(err.message, `POST ${SERVICE_PATH}/endpoint failed: Atlas returned 200 with an empty body`);
  });

  it("rejects a JSON array where an object is expected", async () => {
    stub.handler = () => ({ status: 200, body: "[]" });

    const err = await rejectionOf(client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

    assert.ok(err instanceof AtlasRequestError);
    assert.match(err.message, /Atlas returned 200 with a JSON body that is not an object$/);
  });
});

describe("AtlasClient options", () => {
  const keys = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY };

  it("rejects a base URL that is not http or https", () => {
    assert.throws(() => new AtlasClient({ ...keys, baseUrl: "ftp://cloud.mongodb.com" }), {
      message:
        'Invalid Atlas base URL "ftp://cloud.mongodb.com" in mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL: ' +
        "the URL must use http or https, such as https://cloud.mongodb.com.",
    });
  });

  it("rejects a base URL that does not parse", () => {
    assert.throws(() => new AtlasClient({ ...keys, baseUrl: "cloud.mongodb.com" }), {
      message: /^Invalid Atlas base URL "cloud\.mongodb\.com" in mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL/,
    });
  });

  for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects timeoutMs ${timeoutMs}`, () => {
      assert.throws(() => new AtlasClient({ ...keys, baseUrl: "https://cloud.mongodb.com", timeoutMs }), {
        message: `Invalid Atlas request timeout ${timeoutMs} ms: it must be a positive number of milliseconds.`,
      });
    });
  }

  it("rejects an empty private key", () => {
    assert.throws(() => new AtlasClient({ ...keys, privateKey: "", baseUrl: "https://cloud.mongodb.com" }), {
      name: "MissingCredentialsError",
      message: /^Missing the Atlas API private key\./,
    });
  });

  it("keeps the keys out of util.inspect of the client", async () => {
    const { inspect } = await import("node:util");
    const client = new AtlasClient({ ...keys, baseUrl: "https://cloud.mongodb.com" });

    const text = inspect(client, { showHidden: true, depth: 5 });

    assert.ok(!text.includes(PRIVATE_KEY), "inspect output does not contain the private key");
  });

  it("keeps the keys out of JSON of the client", () => {
    const client = new AtlasClient({ ...keys, baseUrl: "https://cloud.mongodb.com" });

    const text = JSON.stringify(client);

    assert.ok(!text.includes(PRIVATE_KEY), "JSON does not contain the private key");
    assert.ok(!text.includes(PUBLIC_KEY), "JSON does not contain the public key");
  });
});
