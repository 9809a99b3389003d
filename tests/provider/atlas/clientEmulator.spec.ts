import * as assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";

import { startEmulator } from "../../../emulator";
import type { RunningEmulator } from "../../../emulator";
import { AtlasApiError, AtlasClient } from "../../../provider/atlas";
import type { AtlasClientOptions } from "../../../provider/atlas";
import { FakeRetryRuntime } from "./support/fakeRuntime";
import { rejectionOf } from "./support/fixtures";

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  auth: string;
  authFailure: string | null;
}

/** Sends a request to the emulator's control interface and returns the parsed JSON body. */
async function control(emulator: RunningEmulator, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.baseUrl}/__emulator/${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `control ${method} ${route} returned ${response.status}: ${text}`);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

async function requestLog(emulator: RunningEmulator): Promise<LoggedRequest[]> {
  return ((await control(emulator, "GET", "requests")) as { requests: LoggedRequest[] }).requests;
}

describe("AtlasClient against the emulator", () => {
  let emulator: RunningEmulator;
  let runtime: FakeRetryRuntime;
  let serviceId: string;

  function clientFor(options: Partial<AtlasClientOptions> = {}, retryRuntime?: FakeRetryRuntime): AtlasClient {
    const { baseUrl, publicKey, privateKey } = emulator;
    return new AtlasClient({ baseUrl, publicKey, privateKey, ...options }, retryRuntime ?? runtime);
  }

  before(async () => {
    emulator = await startEmulator({ timing: { serviceInitiatingMs: 0 } });
  });

  after(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    await control(emulator, "POST", "reset");
    runtime = new FakeRetryRuntime();
    serviceId = (await clientFor().createEndpointService(emulator.projectId, "us-east-1")).id;
    await control(emulator, "DELETE", "requests");
  });

  it("serves 20 parallel calls of a fresh client", async () => {
    const client = clientFor();

    const services = await Promise.all(
      Array.from({ length: 20 }, () => client.getEndpointService(emulator.projectId, serviceId)),
    );

    assert.deepEqual(
      services.map((service) => service.id),
      Array.from({ length: 20 }, () => serviceId),
    );
  });

  it("serves 20 parallel calls on a reused nonce", async () => {
    const client = clientFor();
    await client.getEndpointService(emulator.projectId, serviceId);

    const services = await Promise.all(
      Array.from({ length: 20 }, () => client.getEndpointService(emulator.projectId, serviceId)),
    );

    assert.equal(services.filter((service) => service.id === serviceId).length, 20);
  });

  it("retries a nonce count that arrived late", async () => {
    const client = clientFor();
    await client.getEndpointService(emulator.projectId, serviceId);
    // Holding the first five requests back makes the later ones use up higher nonce counts first.
    await control(emulator, "POST", "faults", {
      method: "GET",
      path: "/api/atlas/**",
      beforeAuth: true,
      delayMs: 200,
      count: 5,
    });

    const services = await Promise.all(
      Array.from({ length: 20 }, () => client.getEndpointService(emulator.projectId, serviceId)),
    );

    assert.equal(services.filter((service) => service.id === serviceId).length, 20);
    const reused = (await requestLog(emulator)).filter((entry) => entry.authFailure === "nonce count reused");
    assert.equal(reused.length, 5);
  });

  it("sends one request per call after the first", async () => {
    const client = clientFor();
    await client.getEndpointService(emulator.projectId, serviceId);
    await client.listEndpointServices(emulator.projectId);
    await client.getEndpointService(emulator.projectId, serviceId);

    const logged = await requestLog(emulator);

    assert.deepEqual(
      logged.map((entry) => `${entry.method} ${entry.status} ${entry.auth}`),
      ["GET 401 missing", "GET 200 ok", "GET 200 ok", "GET 200 ok"],
    );
  });

  it("retries an expired nonce with a new one", async () => {
    const shortLived = await startEmulator({ nonceLifetimeMs: 50 });
    try {
      const { baseUrl, publicKey, privateKey, projectId } = shortLived;
      const client = new AtlasClient({ baseUrl, publicKey, privateKey });
      await client.listEndpointServices(projectId);
      // Outlive the 50 ms nonce lifetime.
      await delay(100);

      const services = await client.listEndpointServices(projectId);

      assert.deepEqual(services, []);
      const logged = await requestLog(shortLived);
      assert.deepEqual(
        logged.map((entry) => entry.auth),
        ["missing", "ok", "stale", "ok"],
      );
    } finally {
      await shortLived.close();
    }
  });

  it("waits the Retry-After of a 429 fault", async () => {
    await control(emulator, "POST", "faults", {
      method: "GET",
      path: "/api/atlas/**",
      status: 429,
      retryAfterSeconds: 3,
      count: 2,
    });

    await clientFor().getEndpointService(emulator.projectId, serviceId);

    assert.deepEqual(runtime.sleeps, [3_000, 3_000]);
  });

  it("retries a GET after a dropped connection", async () => {
    await control(emulator, "POST", "faults", { method: "GET", path: "/api/atlas/**", drop: true });

    const service = await clientFor().getEndpointService(emulator.projectId, serviceId);

    assert.equal(service.id, serviceId);
    assert.equal(runtime.sleeps.length, 1);
  });

  it("does not resend a POST after a 500 fault", async () => {
    await control(emulator, "POST", "faults", { method: "POST", path: "/api/atlas/**", status: 500, count: 2 });

    const err = await rejectionOf(clientFor().createEndpointService(emulator.projectId, "eu-west-1"));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 500);
    const posts = (await requestLog(emulator)).filter((entry) => entry.method === "POST" && entry.auth === "ok");
    assert.equal(posts.length, 1);
  });

  it("waits out the emulator's rate limit", async () => {
    await control(emulator, "PUT", "rate-limit", { requestsPerSecond: 5, burst: 1 });
    // Real waits, because the emulator's token bucket refills in real time; the Retry-After is 1 s.
    const realTime = new FakeRetryRuntime();
    realTime.onSleep = (ms) => delay(ms);
    const client = clientFor({}, realTime);

    await client.getEndpointService(emulator.projectId, serviceId);
    await client.getEndpointService(emulator.projectId, serviceId);

    assert.deepEqual(realTime.sleeps, [1_000]);
  });
});
