import assert from "node:assert/strict";
import { ATLAS_ACCEPT, rawRequest } from "./support/atlasTestClient";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";

interface ErrorBody {
  detail: string;
  error: number;
  errorCode: string;
  reason: string;
}

interface LoggedRequest {
  path: string;
  status: number;
  fault: string | null;
  auth: string;
}

describe("emulator faults and rate limit", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture();
  });

  after(async function () {
    await fixture.emulator.close();
  });

  afterEach(async function () {
    await fixture.control.ok("POST", "reset");
  });

  it("429 fault carries Retry-After and the token bucket code", async function () {
    await fixture.control.ok("POST", "faults", {
      method: "GET",
      path: "/api/atlas/**",
      status: 429,
      retryAfterSeconds: 7,
    });
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 429);
    assert.equal(response.headers["retry-after"], "7");
    assert.equal(response.headers["content-type"], "application/json");
    const body = response.json as ErrorBody;
    assert.equal(body.error, 429);
    assert.equal(body.errorCode, "RATE_LIMITED_TOKEN_BUCKET");
    assert.equal(body.reason, "Too Many Requests");
    assert.equal(body.detail, "Please retry after 7 seconds.");
    assert.equal((await fixture.atlas.get(fixture.paths.listServices)).status, 200);
  });

  it("500 fault answers UNEXPECTED_ERROR", async function () {
    await fixture.control.ok("POST", "faults", { path: fixture.paths.listServices, status: 500 });
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 500);
    const body = response.json as ErrorBody;
    assert.equal(body.errorCode, "UNEXPECTED_ERROR");
    assert.equal(body.reason, "Internal Server Error");
  });

  it("503 fault answers SERVICE_UNAVAILABLE", async function () {
    await fixture.control.ok("POST", "faults", { path: "**/endpointService", status: 503, retryAfterSeconds: 2 });
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 503);
    assert.equal(response.headers["retry-after"], "2");
    assert.equal((response.json as ErrorBody).reason, "Service Unavailable");
  });

  it("fault applies to the next N matching requests", async function () {
    await fixture.control.ok("POST", "faults", {
      method: "GET",
      path: "/api/atlas/v2/groups/*/privateEndpoint/AWS/endpointService",
      status: 500,
      count: 2,
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await fixture.atlas.get(fixture.paths.listServices)).status);
    }
    assert.deepEqual(statuses, [500, 500, 200]);
  });

  it("fault skips other methods and paths", async function () {
    await fixture.control.ok("POST", "faults", { method: "POST", path: fixture.paths.createService, status: 500 });
    assert.equal((await fixture.atlas.get(fixture.paths.listServices)).status, 200);
    const created = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region: "us-east-1" });
    assert.equal(created.status, 500);
    const faults = await fixture.control.ok<{ faults: unknown[] }>("GET", "faults");
    assert.deepEqual(faults.faults, []);
  });

  it("custom error code and detail", async function () {
    await fixture.control.ok("POST", "faults", {
      path: fixture.paths.listServices,
      status: 409,
      errorCode: "SOMETHING_ODD",
      detail: "An odd conflict.",
    });
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 409);
    assert.equal((response.json as ErrorBody).errorCode, "SOMETHING_ODD");
    assert.equal((response.json as ErrorBody).detail, "An odd conflict.");
  });

  it("delay fault still answers normally", async function () {
    await fixture.control.ok("POST", "faults", { path: fixture.paths.listServices, delayMs: 200 });
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 200);
    const log = await fixture.control.ok<{ requests: LoggedRequest[] }>("GET", "requests");
    const delayed = log.requests.filter((entry) => entry.fault !== null);
    assert.equal(delayed.length, 1);
    assert.equal(delayed[0].status, 200);
  });

  it("drop fault destroys the connection", async function () {
    await fixture.control.ok("POST", "faults", { path: fixture.paths.listServices, drop: true });
    await assert.rejects(fixture.atlas.get(fixture.paths.listServices), /socket hang up|ECONNRESET/);
    assert.equal((await fixture.atlas.get(fixture.paths.listServices)).status, 200);
    const log = await fixture.control.ok<{ requests: LoggedRequest[] }>("GET", "requests");
    assert.ok(log.requests.some((entry) => entry.status === 0 && entry.fault !== null));
  });

  it("afterOperation drop keeps the created service", async function () {
    await fixture.control.ok("POST", "faults", {
      method: "POST",
      path: fixture.paths.createService,
      drop: true,
      afterOperation: true,
    });
    await assert.rejects(
      fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region: "us-east-1" }),
      /socket hang up|ECONNRESET/,
    );
    const listed = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(listed.status, 200);
    assert.equal((listed.json as unknown[]).length, 1);
  });

  it("afterOperation status keeps the created service", async function () {
    await fixture.control.ok("POST", "faults", {
      method: "POST",
      path: fixture.paths.createService,
      status: 500,
      afterOperation: true,
    });
    const response = await fixture.atlas.post(fixture.paths.createService, {
      providerName: "AWS",
      region: "us-east-1",
    });
    assert.equal(response.status, 500);
    assert.equal((response.json as ErrorBody).errorCode, "UNEXPECTED_ERROR");
    const listed = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal((listed.json as unknown[]).length, 1);
  });

  it("beforeAuth fault hits unauthenticated requests", async function () {
    await fixture.control.ok("POST", "faults", { path: fixture.paths.listServices, status: 503, beforeAuth: true });
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT },
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers["www-authenticate"], undefined);
  });

  it("default faults wait for authentication", async function () {
    await fixture.control.ok("POST", "faults", { path: fixture.paths.listServices, status: 500 });
    const unauthenticated = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT },
    });
    assert.equal(unauthenticated.status, 401);
    assert.equal((await fixture.atlas.get(fixture.paths.listServices)).status, 500);
  });

  it("faults can be listed and cleared", async function () {
    const added = await fixture.control.ok<{ id: string }>("POST", "faults", { path: "/a", status: 500 });
    await fixture.control.ok("POST", "faults", { path: "/b", status: 500 });
    assert.equal((await fixture.control.call("DELETE", `faults/${added.id}`)).status, 200);
    assert.equal((await fixture.control.call("DELETE", `faults/${added.id}`)).status, 404);
    const listed = await fixture.control.ok<{ faults: { path: string }[] }>("GET", "faults");
    assert.deepEqual(
      listed.faults.map((fault) => fault.path),
      ["/b"],
    );
    await fixture.control.ok("DELETE", "faults");
    assert.deepEqual((await fixture.control.ok<{ faults: unknown[] }>("GET", "faults")).faults, []);
  });

  it("invalid faults are rejected", async function () {
    const cases = [
      { path: "/x" },
      { path: "/x", status: 200 },
      { path: "/x", status: 500, drop: true },
      { path: "/x", status: 500, count: 0 },
      { pathRegex: "(", status: 500 },
    ];
    for (const body of cases) {
      assert.equal((await fixture.control.call("POST", "faults", body)).status, 400, JSON.stringify(body));
    }
  });

  it("no rate limit headers without a rate limit", async function () {
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.headers["ratelimit-limit"], undefined);
    assert.equal(response.headers["ratelimit-remaining"], undefined);
  });

  it("rate limit sets headers and answers 429 past the burst", async function () {
    const configured = await fixture.control.ok<{ rateLimit: { requestsPerSecond: number } }>("PUT", "rate-limit", {
      requestsPerSecond: 0.05,
      burst: 3,
    });
    assert.equal(configured.rateLimit.requestsPerSecond, 0.05);
    const responses = [];
    for (let i = 0; i < 4; i++) {
      responses.push(await fixture.atlas.get(fixture.paths.listServices));
    }
    assert.deepEqual(
      responses.map((response) => response.status),
      [200, 200, 200, 429],
    );
    assert.deepEqual(
      responses.map((response) => response.headers["ratelimit-remaining"]),
      ["2", "1", "0", "0"],
    );
    for (const response of responses) {
      assert.equal(response.headers["ratelimit-limit"], "3");
    }
    const limited = responses[3];
    assert.equal((limited.json as ErrorBody).errorCode, "RATE_LIMITED_TOKEN_BUCKET");
    assert.ok(Number(limited.headers["retry-after"]) >= 1);
    assert.match((limited.json as ErrorBody).detail, /^Please retry after \d+ seconds\.$/);
  });

  it("rate limit can be removed", async function () {
    await fixture.control.ok("PUT", "rate-limit", { requestsPerSecond: 0.05, burst: 1 });
    await fixture.atlas.get(fixture.paths.listServices);
    assert.equal((await fixture.atlas.get(fixture.paths.listServices)).status, 429);
    await fixture.control.ok("DELETE", "rate-limit");
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 200);
    assert.equal(response.headers["ratelimit-limit"], undefined);
  });

  it("invalid rate limits are rejected", async function () {
    assert.equal((await fixture.control.call("PUT", "rate-limit", { requestsPerSecond: 0 })).status, 400);
    assert.equal((await fixture.control.call("PUT", "rate-limit", { requestsPerSecond: 1, burst: 0.5 })).status, 400);
  });
});

describe("emulator rateLimit option", function () {
  this.timeout(10_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture({ rateLimit: { requestsPerSecond: 50 } });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  it("headers come from the start option", async function () {
    const response = await fixture.atlas.get(fixture.paths.listServices);
    assert.equal(response.status, 200);
    assert.equal(response.headers["ratelimit-limit"], "50");
    assert.equal(response.headers["ratelimit-remaining"], "49");
  });
});
