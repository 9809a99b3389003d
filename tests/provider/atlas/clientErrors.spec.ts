import * as assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { AtlasApiError, AtlasClient, AtlasRequestError, isNotFoundError } from "../../../provider/atlas";
import { AtlasStub } from "./support/atlasStub";
import {
  GROUP_PATH,
  PRIVATE_KEY,
  PROJECT_ID,
  PUBLIC_KEY,
  SERVICE_ID,
  VPCE_ID,
  rejectionOf,
  renderingsOf,
} from "./support/fixtures";

const SERVICE_PATH = `${GROUP_PATH}/AWS/endpointService/${SERVICE_ID}`;
const ENDPOINT_PATH = `${SERVICE_PATH}/endpoint/${VPCE_ID}`;
const KEYS = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY };
const NO_RETRY = { maxAttempts: 1 };

function assertNoKeys(err: unknown): void {
  for (const [form, text] of Object.entries(renderingsOf(err))) {
    assert.ok(!text.includes(PRIVATE_KEY), `${form} does not contain the private key`);
    assert.ok(!text.includes(PUBLIC_KEY), `${form} does not contain the public key`);
  }
}

describe("AtlasClient error responses", () => {
  let stub: AtlasStub;
  let client: AtlasClient;

  // One attempt per call, so that these tests see the error of the first response; retries have their own suite.
  beforeEach(async () => {
    stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    client = new AtlasClient({ baseUrl: stub.baseUrl, ...KEYS, retry: NO_RETRY });
  });

  afterEach(async () => {
    await stub.close();
  });

  context("404 with an Atlas error body", () => {
    const body = {
      detail: `Cannot find resource ${VPCE_ID}.`,
      error: 404,
      errorCode: "RESOURCE_NOT_FOUND",
      parameters: [VPCE_ID],
      reason: "Not Found",
    };

    beforeEach(() => {
      stub.handler = () => ({ status: 404, body: JSON.stringify(body) });
    });

    it("carries the request and the body fields", async () => {
      const err = await rejectionOf(client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.method, "GET");
      assert.equal(err.path, ENDPOINT_PATH);
      assert.equal(err.statusCode, 404);
      assert.equal(err.errorCode, "RESOURCE_NOT_FOUND");
      assert.equal(err.detail, body.detail);
      assert.equal(err.reason, "Not Found");
      assert.deepEqual(err.parameters, [VPCE_ID]);
    });

    it("states status, code, request and detail", async () => {
      const err = (await rejectionOf(client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID))) as Error;

      assert.equal(
        err.message,
        `Atlas returned 404 RESOURCE_NOT_FOUND for GET ${ENDPOINT_PATH}: Cannot find resource ${VPCE_ID}.`,
      );
    });

    it("counts as not found", async () => {
      const err = await rejectionOf(client.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

      assert.equal(isNotFoundError(err), true);
    });

    it("rejects a delete the same way", async () => {
      const err = await rejectionOf(client.deleteInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.method, "DELETE");
      assert.equal(err.statusCode, 404);
    });
  });

  it("reports 409 on a duplicate service with its code", async () => {
    stub.handler = () => ({
      status: 409,
      body: JSON.stringify({
        detail: "A private endpoint service already exists for AWS region US_EAST_1.",
        error: 409,
        errorCode: "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
        parameters: ["AWS", "US_EAST_1"],
        reason: "Conflict",
      }),
    });

    const err = await rejectionOf(client.createEndpointService(PROJECT_ID, "us-east-1"));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.errorCode, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION");
    assert.equal(
      err.message,
      `Atlas returned 409 PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION for POST ${GROUP_PATH}/endpointService: ` +
        "A private endpoint service already exists for AWS region US_EAST_1.",
    );
    assert.equal(isNotFoundError(err), false);
  });

  it("reports 400 PATH_PARAM_PARSE_ERROR with its parameters", async () => {
    stub.handler = () => ({
      status: 400,
      body: JSON.stringify({
        detail: "One or more path parameter values is invalid: groupId=not-a-project.",
        error: 400,
        errorCode: "PATH_PARAM_PARSE_ERROR",
        parameters: ["groupId", "not-a-project"],
        reason: "Bad Request",
      }),
    });

    const err = await rejectionOf(client.getEndpointService("not-a-project", SERVICE_ID));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.errorCode, "PATH_PARAM_PARSE_ERROR");
    assert.deepEqual(err.parameters, ["groupId", "not-a-project"]);
  });

  it("starts a 403 message with the denial", async () => {
    stub.handler = () => ({
      status: 403,
      body: JSON.stringify({
        detail: "IP address 203.0.113.7 is not allowed to access this resource.",
        error: 403,
        errorCode: "IP_ADDRESS_NOT_ON_ACCESS_LIST",
        reason: "Forbidden",
      }),
    });

    const err = (await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID))) as Error;

    assert.match(err.message, /^Atlas denied access with 403 IP_ADDRESS_NOT_ON_ACCESS_LIST for GET /);
    assert.match(err.message, /not allowed to access this resource\. Check the Atlas API key pair set in /);
    assert.match(err.message, /the key's project access and IP access list\. `pulumi refresh` and `pulumi destroy` /);
    assert.match(err.message, /Environment variables take effect at once\.$/);
  });

  it("reads Retry-After from a 429", async () => {
    stub.handler = () => ({
      status: 429,
      headers: { "retry-after": "55" },
      body: JSON.stringify({
        detail: "Please retry after 55 seconds.",
        error: 429,
        errorCode: "RATE_LIMITED_TOKEN_BUCKET",
        reason: "Too Many Requests",
      }),
    });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.retryAfterSeconds, 55);
    assert.match(err.message, /: Please retry after 55 seconds\.$/);
  });

  it("quotes a body that is not JSON", async () => {
    stub.handler = () => ({
      status: 502,
      headers: { "content-type": "text/html" },
      body: "<html>\n Bad gateway\n</html>",
    });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.errorCode, undefined);
    assert.equal(err.message, `Atlas returned 502 for GET ${SERVICE_PATH}: <html> Bad gateway </html>`);
  });

  it("shortens a long body to 200 characters", async () => {
    stub.handler = () => ({ status: 500, body: "x".repeat(1000) });

    const err = (await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID))) as Error;

    assert.equal(err.message, `Atlas returned 500 for GET ${SERVICE_PATH}: ${"x".repeat(200)}…`);
  });

  it("reports an empty body", async () => {
    stub.handler = () => ({ status: 503 });

    const err = (await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID))) as Error;

    assert.equal(err.message, `Atlas returned 503 for GET ${SERVICE_PATH} with an empty body`);
  });

  it("redacts keys that Atlas quotes in a body", async () => {
    stub.handler = () => ({
      status: 403,
      body: JSON.stringify({
        detail: `API key ${PUBLIC_KEY} with secret ${PRIVATE_KEY} has no access to this project.`,
        error: 403,
        errorCode: "API_KEY_NOT_IN_PROJECT",
        parameters: [PUBLIC_KEY],
        reason: "Forbidden",
      }),
    });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.detail, "API key [redacted] with secret [redacted] has no access to this project.");
    assertNoKeys(err);
  });
});

describe("AtlasClient transport failures", () => {
  it("reports a request that outlives timeoutMs", async () => {
    const stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    stub.handler = () => "hang";
    const client = new AtlasClient({
      baseUrl: stub.baseUrl,
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      timeoutMs: 200,
      retry: NO_RETRY,
    });

    try {
      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasRequestError);
      assert.equal(err.message, `GET ${SERVICE_PATH} failed: timed out after 200 ms`);
      assert.equal(err.timedOut, true);
      assert.ok(err.cause instanceof Error, "cause is set");
      assertNoKeys(err);
    } finally {
      await stub.close();
    }
  });

  it("times out on a server that never responds", async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new AtlasClient({
      baseUrl: `http://127.0.0.1:${port}`,
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      timeoutMs: 200,
      retry: NO_RETRY,
    });

    try {
      const err = await rejectionOf(client.deleteEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasRequestError);
      assert.equal(err.message, `DELETE ${SERVICE_PATH} failed: timed out after 200 ms`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("reports a refused connection", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new AtlasClient({
      baseUrl: `http://127.0.0.1:${port}`,
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      retry: NO_RETRY,
    });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasRequestError);
    assert.equal(err.message, `GET ${SERVICE_PATH} failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    assert.equal(err.timedOut, false);
    assert.equal((err.cause as { code?: string }).code, "ECONNREFUSED");
    assertNoKeys(err);
  });

  it("strips urllib's response and socket state from the cause", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new AtlasClient({
      baseUrl: `http://127.0.0.1:${port}`,
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      retry: NO_RETRY,
    });

    const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

    assert.ok(err instanceof AtlasRequestError);
    assert.ok(err.cause instanceof Error, "cause is set");
    assert.deepEqual(Object.getOwnPropertyNames(err.cause).sort(), ["code", "message", "name", "stack"]);
  });

  it("reports a reset connection", async () => {
    const stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    stub.handler = () => "reset";
    const client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });

    try {
      const err = await rejectionOf(client.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

      assert.ok(err instanceof AtlasRequestError);
      assert.match(err.message, new RegExp(`^POST ${SERVICE_PATH}/endpoint failed: \\S`));
      assert.ok(err.cause instanceof Error, "cause is set");
      assertNoKeys(err);
    } finally {
      await stub.close();
    }
  });

  it("does not resend a POST after a reset", async () => {
    const stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
    stub.handler = () => "reset";
    const client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });

    try {
      await rejectionOf(client.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

      assert.equal(stub.requests.filter((request) => request.digestValid).length, 1);
    } finally {
      await stub.close();
    }
  });
});
