import * as assert from "node:assert/strict";

import { AtlasApiError, AtlasClient } from "../../../provider/atlas";
import type { AtlasApi } from "../../../provider/atlas";
import { AtlasStub } from "./support/atlasStub";
import type { StubReply } from "./support/atlasStub";
import { PRIVATE_KEY, PROJECT_ID, PUBLIC_KEY, SERVICE_ID, VPCE_ID, rejectionOf } from "./support/fixtures";

const LEGACY_GROUP = `/api/atlas/v1.0/groups/${PROJECT_ID}/privateEndpoint`;
const PRIVATE_LINK = `${LEGACY_GROUP}/${SERVICE_ID}`;
const SERVICE_NAME = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890";

const LEGACY_SERVICE = {
  id: SERVICE_ID,
  endpointServiceName: SERVICE_NAME,
  errorMessage: null,
  interfaceEndpoints: [VPCE_ID],
  status: "AVAILABLE",
};
const MAPPED_SERVICE = { ...LEGACY_SERVICE, cloudProvider: "AWS", regionName: "US_EAST_1" };

const LEGACY_ENDPOINT = {
  interfaceEndpointId: VPCE_ID,
  connectionStatus: "NONE",
  deleteRequested: false,
  errorMessage: null,
};
const MAPPED_ENDPOINT = { ...LEGACY_ENDPOINT, cloudProvider: "AWS" };

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

// Success codes follow the emulator's legacy routes: 201 for creates, 204 for a service delete, and 200 with an
// empty JSON object for an interface endpoint delete.
const OPERATIONS: Operation[] = [
  {
    name: "createEndpointService",
    call: (client) => client.createEndpointService(PROJECT_ID, "us-east-1"),
    method: "POST",
    path: LEGACY_GROUP,
    body: { providerName: "AWS", region: "us-east-1" },
    reply: {
      status: 201,
      body: JSON.stringify({ ...LEGACY_SERVICE, endpointServiceName: null, status: "INITIATING" }),
    },
    result: { ...MAPPED_SERVICE, endpointServiceName: null, status: "INITIATING" },
  },
  {
    name: "listEndpointServices",
    call: (client) => client.listEndpointServices(PROJECT_ID),
    method: "GET",
    path: LEGACY_GROUP,
    reply: { status: 200, body: JSON.stringify([LEGACY_SERVICE]) },
    result: [MAPPED_SERVICE],
  },
  {
    name: "getEndpointService",
    call: (client) => client.getEndpointService(PROJECT_ID, SERVICE_ID),
    method: "GET",
    path: PRIVATE_LINK,
    reply: { status: 200, body: JSON.stringify(LEGACY_SERVICE) },
    result: MAPPED_SERVICE,
  },
  {
    name: "deleteEndpointService",
    call: (client) => client.deleteEndpointService(PROJECT_ID, SERVICE_ID),
    method: "DELETE",
    path: PRIVATE_LINK,
    reply: { status: 204 },
    result: undefined,
  },
  {
    name: "createInterfaceEndpoint",
    call: (client) => client.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
    method: "POST",
    path: `${PRIVATE_LINK}/interfaceEndpoints`,
    body: { interfaceEndpointId: VPCE_ID },
    reply: { status: 201, body: JSON.stringify(LEGACY_ENDPOINT) },
    result: MAPPED_ENDPOINT,
  },
  {
    name: "getInterfaceEndpoint",
    call: (client) => client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
    method: "GET",
    path: `${PRIVATE_LINK}/interfaceEndpoints/${VPCE_ID}`,
    reply: { status: 200, body: JSON.stringify(LEGACY_ENDPOINT) },
    result: MAPPED_ENDPOINT,
  },
  {
    name: "deleteInterfaceEndpoint",
    call: (client) => client.deleteInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
    method: "DELETE",
    path: `${PRIVATE_LINK}/interfaceEndpoints/${VPCE_ID}`,
    reply: { status: 200, body: "{}" },
    result: undefined,
  },
];

describe("AtlasClient legacy requests", () => {
  let stub: AtlasStub;
  let client: AtlasClient;

  beforeEach(async () => {
    stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    client = new AtlasClient({
      baseUrl: stub.baseUrl,
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      privateEndpointApi: "legacy",
    });
  });

  afterEach(async () => {
    await stub.close();
  });

  for (const operation of OPERATIONS) {
    context(operation.name, () => {
      beforeEach(() => {
        stub.handler = () => operation.reply;
      });

      it(`sends ${operation.method} to its v1.0 path`, async () => {
        await operation.call(client);

        const authenticated = stub.requests[1];
        assert.equal(authenticated.method, operation.method);
        assert.equal(authenticated.url, operation.path);
        assert.equal(authenticated.digestValid, true);
      });

      it("sends the legacy body", async () => {
        await operation.call(client);

        const sent = stub.requests[1].body;
        assert.deepEqual(sent === "" ? undefined : JSON.parse(sent), operation.body);
      });

      it("resolves with the v2 shape", async () => {
        const result = await operation.call(client);

        assert.deepEqual(result, operation.result);
      });

      it("sends Accept application/json on every request", async () => {
        await operation.call(client);

        assert.equal(stub.requests.length, 2);
        for (const request of stub.requests) {
          assert.equal(request.headers.accept, "application/json");
        }
      });

      it("sends Content-Type application/json only with a body", async () => {
        await operation.call(client);

        const expected = operation.body === undefined ? undefined : "application/json";
        for (const request of stub.requests) {
          assert.equal(request.headers["content-type"], expected);
        }
      });
    });
  }

  it("rejects with the legacy 404 as AtlasApiError", async () => {
    stub.handler = () => ({
      status: 404,
      body: JSON.stringify({
        detail: `Private link ${SERVICE_ID} not found.`,
        error: 404,
        errorCode: "PRIVATELINK_NOT_FOUND",
        parameters: [SERVICE_ID],
        reason: "Not Found",
      }),
    });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 404);
    assert.equal(err.errorCode, "PRIVATELINK_NOT_FOUND");
    assert.equal(err.path, PRIVATE_LINK);
  });

  it("defaults to the v2 routes", async () => {
    const v2Client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    stub.handler = () => ({ status: 200, body: JSON.stringify(MAPPED_SERVICE) });

    await v2Client.getEndpointService(PROJECT_ID, SERVICE_ID);

    assert.equal(
      stub.requests[1].url,
      `/api/atlas/v2/groups/${PROJECT_ID}/privateEndpoint/AWS/endpointService/${SERVICE_ID}`,
    );
    assert.equal(stub.requests[1].headers.accept, "application/vnd.atlas.2023-01-01+json");
  });

  it("rejects an unknown API before sending", () => {
    assert.throws(
      () =>
        new AtlasClient({
          baseUrl: stub.baseUrl,
          publicKey: PUBLIC_KEY,
          privateKey: PRIVATE_KEY,
          privateEndpointApi: "v1" as "legacy",
        }),
      { message: 'Invalid privateEndpointApi "v1": expected "v2" or "legacy".' },
    );
    assert.equal(stub.requests.length, 0);
  });
});
