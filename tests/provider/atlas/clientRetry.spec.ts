import * as assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { AtlasApiError, AtlasClient, AtlasRequestError } from "../../../provider/atlas";
import type { AtlasClientOptions, AtlasRetryEvent } from "../../../provider/atlas";
import { AtlasStub } from "./support/atlasStub";
import type { StubHandler, StubReply } from "./support/atlasStub";
import { FakeRetryRuntime } from "./support/fakeRuntime";
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

const SERVICE_OK: StubReply = { status: 200, body: JSON.stringify({ id: SERVICE_ID, cloudProvider: "AWS" }) };
const ENDPOINT_OK: StubReply = {
  status: 200,
  body: JSON.stringify({ cloudProvider: "AWS", interfaceEndpointId: VPCE_ID, connectionStatus: "PENDING" }),
};

/** Builds an Atlas error reply with `status`, an error code and a detail text. */
function atlasError(status: number, errorCode: string, detail: string, headers?: Record<string, string>): StubReply {
  return { status, headers, body: JSON.stringify({ detail, error: status, errorCode, parameters: [], reason: "x" }) };
}

const RATE_LIMITED = (headers?: Record<string, string>, detail = "Too many requests.") =>
  atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", detail, headers);
const UNAVAILABLE = (headers?: Record<string, string>) =>
  atlasError(503, "SERVICE_UNAVAILABLE", "Service unavailable.", headers);
const UNEXPECTED = atlasError(500, "UNEXPECTED_ERROR", "Unexpected error.");

/** Returns a handler that gives `replies` in order to authenticated requests and repeats the last one. */
function inOrder(...replies: ReturnType<StubHandler>[]): StubHandler {
  let index = 0;
  return () => replies[Math.min(index++, replies.length - 1)];
}

/** Returns a port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("AtlasClient retries", () => {
  let stub: AtlasStub;
  let runtime: FakeRetryRuntime;
  let logLines: string[];

  function clientFor(options: Partial<AtlasClientOptions> = {}): AtlasClient {
    return new AtlasClient({ baseUrl: stub.baseUrl, ...KEYS, log: (line) => logLines.push(line), ...options }, runtime);
  }

  /** Number of requests that passed digest authentication, so reached the handler. */
  function handled(): number {
    return stub.requests.filter((request) => request.digestValid).length;
  }

  beforeEach(async () => {
    stub = await AtlasStub.start(KEYS);
    runtime = new FakeRetryRuntime();
    logLines = [];
  });

  afterEach(async () => {
    await stub.close();
  });

  context("after 429", () => {
    it("waits the Retry-After seconds", async () => {
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": "55" }), SERVICE_OK);

      const service = await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.deepEqual(runtime.sleeps, [55_000]);
    });

    it("waits until a Retry-After date", async () => {
      const date = new Date(runtime.currentMs + 20_000).toUTCString();
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": date }), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [20_000]);
    });

    it("waits 0 for a Retry-After date in the past", async () => {
      const date = new Date(runtime.currentMs - 60_000).toUTCString();
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": date }), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [0]);
    });

    it("reads the wait from the detail text", async () => {
      stub.handler = inOrder(RATE_LIMITED(undefined, "Please retry after 7 seconds."), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [7_000]);
    });

    it("prefers Retry-After to the detail text", async () => {
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": "3" }, "Please retry after 7 seconds."), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [3_000]);
    });

    it("backs off without a stated wait", async () => {
      stub.handler = inOrder(RATE_LIMITED(), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [500]);
    });

    it("retries a POST", async () => {
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": "1" }), ENDPOINT_OK);

      const endpoint = await clientFor().createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);

      assert.equal(endpoint.interfaceEndpointId, VPCE_ID);
      assert.equal(handled(), 2);
    });
  });

  context("after 503", () => {
    it("waits the Retry-After seconds", async () => {
      stub.handler = inOrder(UNAVAILABLE({ "retry-after": "3" }), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [3_000]);
    });

    it("backs off without Retry-After", async () => {
      stub.handler = inOrder(UNAVAILABLE(), UNAVAILABLE(), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(runtime.sleeps, [500, 1_000]);
    });

    it("retries a POST", async () => {
      stub.handler = inOrder(UNAVAILABLE(), ENDPOINT_OK);

      await clientFor().createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);

      assert.equal(handled(), 2);
    });
  });

  context("backoff after 500", () => {
    beforeEach(() => {
      stub.handler = () => UNEXPECTED;
    });

    it("doubles the ceiling on every retry", async () => {
      await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.deepEqual(runtime.sleeps, [500, 1_000, 2_000, 4_000]);
    });

    it("stays below each ceiling", async () => {
      runtime.randomValue = 0.999999;

      await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.deepEqual(runtime.sleeps, [999, 1_999, 3_999, 7_999]);
    });

    it("may wait nothing", async () => {
      runtime.randomValue = 0;

      await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.deepEqual(runtime.sleeps, [0, 0, 0, 0]);
    });

    it("caps each wait at maxDelayMs", async () => {
      runtime.randomValue = 0.999999;

      await rejectionOf(
        clientFor({ retry: { maxAttempts: 7, maxDelayMs: 5_000 } }).getEndpointService(PROJECT_ID, SERVICE_ID),
      );

      assert.deepEqual(runtime.sleeps, [999, 1_999, 3_999, 4_999, 4_999, 4_999]);
    });

    it("caps each wait at 30 s by default", async () => {
      runtime.randomValue = 0.999999;
      const client = clientFor({ retry: { maxAttempts: 8, maxElapsedMs: 3_600_000 } });

      await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.equal(runtime.sleeps.at(-1), 29_999);
    });

    it("starts from baseDelayMs", async () => {
      await rejectionOf(clientFor({ retry: { baseDelayMs: 200 } }).getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.deepEqual(runtime.sleeps, [100, 200, 400, 800]);
    });

    it("retries a DELETE", async () => {
      stub.handler = inOrder(UNEXPECTED, { status: 204 });

      await clientFor().deleteInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);

      assert.equal(handled(), 2);
    });
  });

  for (const status of [408, 502, 504]) {
    it(`retries a GET after ${status}`, async () => {
      stub.handler = inOrder(atlasError(status, "X", "x"), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(handled(), 2);
    });
  }

  for (const status of [400, 401, 403, 404, 409]) {
    it(`does not retry ${status}`, async () => {
      stub.handler = () => atlasError(status, "X", "x");

      const err = await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.statusCode, status);
      assert.equal(handled(), 1);
      assert.deepEqual(runtime.sleeps, []);
    });
  }

  context("with a POST that may have reached Atlas", () => {
    it("does not retry it after 500", async () => {
      stub.handler = () => UNEXPECTED;

      const err = await rejectionOf(clientFor().createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(handled(), 1);
    });

    it("says why it was not retried", async () => {
      stub.handler = () => UNEXPECTED;

      const err = (await rejectionOf(clientFor().createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID))) as Error;

      assert.equal(
        err.message,
        `Atlas returned 500 UNEXPECTED_ERROR for POST ${SERVICE_PATH}/endpoint: Unexpected error. ` +
          "Not retried, because Atlas may have processed the POST request.",
      );
    });

    it("does not retry it after a timeout", async () => {
      stub.handler = () => "hang";

      const err = await rejectionOf(
        clientFor({ timeoutMs: 200 }).createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID),
      );

      assert.ok(err instanceof AtlasRequestError);
      assert.equal(err.timedOut, true);
      assert.equal(handled(), 1);
    });

    it("does not retry it after a reset", async () => {
      stub.handler = () => "reset";

      const err = await rejectionOf(clientFor().createEndpointService(PROJECT_ID, "us-east-1"));

      assert.ok(err instanceof AtlasRequestError);
      assert.equal(handled(), 1);
      assert.deepEqual(runtime.sleeps, []);
    });

    it("counts the earlier attempts in the message", async () => {
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": "1" }), UNEXPECTED);

      const err = (await rejectionOf(clientFor().createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID))) as Error;

      assert.match(err.message, /Made 2 attempts over 1\.0s\. Not retried, because Atlas may have processed /);
    });
  });

  context("without a response", () => {
    it("retries a POST after a refused connection", async () => {
      const port = await closedPort();
      const client = clientFor({ baseUrl: `http://127.0.0.1:${port}` });
      await stub.close();
      runtime.onSleep = async () => {
        stub = await AtlasStub.start(KEYS, port);
        stub.handler = () => ENDPOINT_OK;
      };

      const endpoint = await client.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);

      assert.equal(endpoint.interfaceEndpointId, VPCE_ID);
      assert.equal(handled(), 1);
    });

    it("retries a GET after a timeout", async () => {
      stub.handler = inOrder("hang", SERVICE_OK);

      const service = await clientFor({ timeoutMs: 200 }).getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.equal(handled(), 2);
    });

    it("retries a GET after a reset", async () => {
      stub.handler = inOrder("reset", SERVICE_OK);

      const service = await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.equal(handled(), 2);
    });

    it("retries a DELETE after a reset", async () => {
      stub.handler = inOrder("reset", { status: 204 });

      await clientFor().deleteEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(handled(), 2);
    });

    it("gives up on a refused connection after maxAttempts", async () => {
      const port = await closedPort();
      const client = clientFor({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 3 } });

      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasRequestError);
      assert.equal(err.attempts, 3);
      assert.equal(
        err.message,
        `GET ${SERVICE_PATH} failed: connect ECONNREFUSED 127.0.0.1:${port}. Gave up after 3 attempts over 1.5s; raise mongodbatlas:maxRetries (MONGODB_ATLAS_MAX_RETRIES) to retry more.`,
      );
    });
  });

  context("limits", () => {
    it("makes 5 attempts by default", async () => {
      stub.handler = () => UNEXPECTED;

      const err = await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.attempts, 5);
      assert.equal(handled(), 5);
    });

    it("stops after maxAttempts", async () => {
      stub.handler = () => UNEXPECTED;

      await rejectionOf(clientFor({ retry: { maxAttempts: 3 } }).getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.equal(handled(), 3);
    });

    it("names the attempts and the last status", async () => {
      stub.handler = inOrder(UNAVAILABLE(), UNEXPECTED);

      const err = (await rejectionOf(
        clientFor({ retry: { maxAttempts: 3 } }).getEndpointService(PROJECT_ID, SERVICE_ID),
      )) as Error;

      assert.equal(
        err.message,
        `Atlas returned 500 UNEXPECTED_ERROR for GET ${SERVICE_PATH}: Unexpected error. ` +
          "Gave up after 3 attempts over 1.5s; raise mongodbatlas:maxRetries (MONGODB_ATLAS_MAX_RETRIES) to retry more.",
      );
    });

    it("turns retries off with maxAttempts 1", async () => {
      stub.handler = () => UNAVAILABLE({ "retry-after": "2" });

      const err = (await rejectionOf(
        clientFor({ retry: { maxAttempts: 1 } }).getEndpointService(PROJECT_ID, SERVICE_ID),
      )) as Error;

      assert.equal(handled(), 1);
      assert.match(err.message, /Service unavailable\. Retry after 2 s\.$/);
    });

    it("fails on a Retry-After past the limit", async () => {
      stub.handler = () => RATE_LIMITED({ "retry-after": "400" });

      const err = (await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID))) as Error;

      assert.deepEqual(runtime.sleeps, []);
      assert.equal(
        err.message,
        `Atlas returned 429 RATE_LIMITED_TOKEN_BUCKET for GET ${SERVICE_PATH}: Too many requests. ` +
          "Gave up after 1 attempt over 0.0s, because the Retry-After wait of 400.0s would pass " +
          "the retry time limit of 300.0s (mongodbatlas:retryTimeout).",
      );
    });

    it("keeps that Retry-After on the error", async () => {
      stub.handler = () => RATE_LIMITED({ "retry-after": "400" });

      const err = await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.retryAfterSeconds, 400);
    });

    it("stops before a wait past the limit", async () => {
      stub.handler = () => UNEXPECTED;
      runtime.randomValue = 0.999999;

      const err = (await rejectionOf(
        clientFor({ retry: { maxElapsedMs: 5_000 } }).getEndpointService(PROJECT_ID, SERVICE_ID),
      )) as Error;

      assert.deepEqual(runtime.sleeps, [999, 1_999]);
      assert.match(
        err.message,
        /Gave up after 3 attempts over 3\.0s, because the next wait of 4\.0s would pass the retry time limit of 5\.0s/,
      );
    });

    it("counts request time toward the limit", async () => {
      stub.handler = () => {
        runtime.currentMs += 10_000;
        return UNAVAILABLE({ "retry-after": "1" });
      };

      await rejectionOf(clientFor({ retry: { maxElapsedMs: 25_000 } }).getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.equal(handled(), 3);
    });
  });

  context("reporting", () => {
    it("logs each retry in one line", async () => {
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": "55" }), SERVICE_OK);

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(logLines, [
        `Atlas GET ${SERVICE_PATH} returned 429 RATE_LIMITED_TOKEN_BUCKET; retry 1 of 4 in 55.0s`,
      ]);
    });

    it("numbers the retries", async () => {
      stub.handler = inOrder(UNEXPECTED, UNEXPECTED, SERVICE_OK);

      await clientFor().getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);

      assert.deepEqual(logLines, [
        `Atlas GET ${ENDPOINT_PATH} returned 500 UNEXPECTED_ERROR; retry 1 of 4 in 0.5s`,
        `Atlas GET ${ENDPOINT_PATH} returned 500 UNEXPECTED_ERROR; retry 2 of 4 in 1.0s`,
      ]);
    });

    it("names the network error code", async () => {
      const port = await closedPort();

      await rejectionOf(
        clientFor({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 2 } }).getEndpointService(
          PROJECT_ID,
          SERVICE_ID,
        ),
      );

      assert.deepEqual(logLines, [`Atlas GET ${SERVICE_PATH} failed with ECONNREFUSED; retry 1 of 1 in 0.5s`]);
    });

    it("names the time limit of a timeout", async () => {
      stub.handler = inOrder("hang", SERVICE_OK);

      await clientFor({ timeoutMs: 200 }).getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(logLines, [`Atlas GET ${SERVICE_PATH} timed out after 200 ms; retry 1 of 4 in 0.5s`]);
    });

    it("keeps the keys out of log lines", async () => {
      stub.handler = inOrder(
        atlasError(503, `KEY_${PUBLIC_KEY}_${PRIVATE_KEY}`, `Key ${PUBLIC_KEY} with ${PRIVATE_KEY} is busy.`),
        SERVICE_OK,
      );

      await clientFor().getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(logLines.length, 1);
      assert.ok(!logLines[0].includes(PUBLIC_KEY), "the log line does not contain the public key");
      assert.ok(!logLines[0].includes(PRIVATE_KEY), "the log line does not contain the private key");
    });

    it("keeps the keys out of the final error", async () => {
      stub.handler = () => UNEXPECTED;

      const err = await rejectionOf(clientFor().getEndpointService(PROJECT_ID, SERVICE_ID));

      for (const [form, text] of Object.entries(renderingsOf(err))) {
        assert.ok(!text.includes(PRIVATE_KEY), `${form} does not contain the private key`);
        assert.ok(!text.includes(PUBLIC_KEY), `${form} does not contain the public key`);
      }
    });

    it("counts retries across calls", async () => {
      stub.handler = inOrder(UNEXPECTED, SERVICE_OK, UNEXPECTED, UNEXPECTED, SERVICE_OK);
      const client = clientFor();

      await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(client.retryCount, 3);
    });

    it("passes each retry to onRetry", async () => {
      const events: AtlasRetryEvent[] = [];
      stub.handler = inOrder(RATE_LIMITED({ "retry-after": "2" }), SERVICE_OK);

      await clientFor({ onRetry: (event) => events.push(event) }).getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.deepEqual(events, [
        {
          method: "GET",
          path: SERVICE_PATH,
          statusCode: 429,
          failure: "returned 429 RATE_LIMITED_TOKEN_BUCKET",
          retry: 1,
          maxRetries: 4,
          delayMs: 2_000,
        },
      ]);
    });
  });

  context("with invalid retry options", () => {
    const invalid: [string, AtlasClientOptions["retry"], string][] = [
      [
        "maxAttempts 0",
        { maxAttempts: 0 },
        "Invalid Atlas retry option maxAttempts 0: it must be an integer of 1 or more.",
      ],
      [
        "maxAttempts 1.5",
        { maxAttempts: 1.5 },
        "Invalid Atlas retry option maxAttempts 1.5: it must be an integer of 1 or more.",
      ],
      [
        "a negative maxElapsedMs",
        { maxElapsedMs: -1 },
        "Invalid Atlas retry option maxElapsedMs -1: it must be a number of milliseconds of 0 or more.",
      ],
      [
        "a NaN baseDelayMs",
        { baseDelayMs: Number.NaN },
        "Invalid Atlas retry option baseDelayMs NaN: it must be a number of milliseconds of 0 or more.",
      ],
    ];

    for (const [name, retry, message] of invalid) {
      it(`rejects ${name}`, () => {
        assert.throws(() => clientFor({ retry }), { message });
      });
    }
  });
});
