import assert from "node:assert/strict";
import {
  ATLAS_ACCEPT,
  AtlasTestClient,
  digestAuthorization,
  parseChallenge,
  rawRequest,
} from "./support/atlasTestClient";
import type { RawResponse } from "./support/atlasTestClient";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";

describe("emulator digest authentication", function () {
  this.timeout(10_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture();
  });

  after(async function () {
    await fixture.emulator.close();
  });

  async function challenge(path = fixture.paths.listServices): Promise<Record<string, string>> {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", path, { headers: { Accept: ATLAS_ACCEPT } });
    assert.equal(response.status, 401);
    return parseChallenge(response.headers["www-authenticate"]);
  }

  function signedGet(
    path: string,
    parameters: Record<string, string>,
    overrides: { password?: string; nonceCount?: number; uri?: string; username?: string } = {},
  ): Promise<RawResponse> {
    const authorization = digestAuthorization({
      username: overrides.username ?? fixture.emulator.publicKey,
      password: overrides.password ?? fixture.emulator.privateKey,
      method: "GET",
      uri: overrides.uri ?? path,
      nonce: parameters.nonce,
      realm: parameters.realm,
      nonceCount: overrides.nonceCount ?? 1,
    });
    return rawRequest(fixture.emulator.baseUrl, "GET", path, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: authorization },
    });
  }

  it("challenge has the Atlas fields", async function () {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT },
    });
    assert.equal(response.status, 401);
    const header = String(response.headers["www-authenticate"]);
    assert.match(
      header,
      /^Digest realm="MMS Public API", domain="", nonce="[^"]+", algorithm=MD5, qop="auth", stale=false$/,
    );
    const parameters = parseChallenge(header);
    assert.equal(parameters.realm, "MMS Public API");
    assert.equal(parameters.domain, "");
    assert.equal(parameters.algorithm, "MD5");
    assert.equal(parameters.qop, "auth");
    assert.equal(parameters.stale, "false");
    assert.ok(parameters.nonce.length >= 16, "nonce too short");
  });

  it("challenge body is an Atlas 401 error", async function () {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT },
    });
    assert.equal(response.headers["content-type"], "application/json");
    assert.deepEqual(response.json, {
      detail: "You are not authorized for this resource.",
      error: 401,
      errorCode: "UNAUTHORIZED",
      parameters: [],
      reason: "Unauthorized",
    });
  });

  it("each challenge has a new nonce", async function () {
    const first = await challenge();
    const second = await challenge();
    assert.notEqual(first.nonce, second.nonce);
  });

  it("valid digest response is accepted", async function () {
    const parameters = await challenge();
    const response = await signedGet(fixture.paths.listServices, parameters);
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, []);
  });

  it("nonce serves increasing nonce counts", async function () {
    const parameters = await challenge();
    for (const nonceCount of [1, 2, 5]) {
      const response = await signedGet(fixture.paths.listServices, parameters, { nonceCount });
      assert.equal(response.status, 200, `nonce count ${nonceCount}`);
    }
  });

  it("wrong password gets 401 with stale=false", async function () {
    const parameters = await challenge();
    const response = await signedGet(fixture.paths.listServices, parameters, { password: "not-the-key" });
    assert.equal(response.status, 401);
    assert.equal(parseChallenge(response.headers["www-authenticate"]).stale, "false");
    assert.equal((response.json as { errorCode: string }).errorCode, "UNAUTHORIZED");
    const log = await fixture.control.ok<{ requests: { auth: string; authFailure: string | null }[] }>(
      "GET",
      "requests",
    );
    const last = log.requests[log.requests.length - 1];
    assert.equal(last.auth, "failed");
    assert.equal(last.authFailure, "wrong response hash");
  });

  it("unknown user name gets 401", async function () {
    const parameters = await challenge();
    const response = await signedGet(fixture.paths.listServices, parameters, { username: "nobody00" });
    assert.equal(response.status, 401);
    assert.equal(parseChallenge(response.headers["www-authenticate"]).stale, "false");
  });

  it("reused nonce count is rejected", async function () {
    const parameters = await challenge();
    const first = await signedGet(fixture.paths.listServices, parameters, { nonceCount: 3 });
    assert.equal(first.status, 200);
    const replay = await signedGet(fixture.paths.listServices, parameters, { nonceCount: 3 });
    assert.equal(replay.status, 401);
    assert.equal(parseChallenge(replay.headers["www-authenticate"]).stale, "false");
    const lower = await signedGet(fixture.paths.listServices, parameters, { nonceCount: 2 });
    assert.equal(lower.status, 401);
    const log = await fixture.control.ok<{ requests: { authFailure: string | null }[] }>("GET", "requests");
    const failures = log.requests.slice(-2).map((entry) => entry.authFailure);
    assert.deepEqual(failures, ["nonce count reused", "nonce count reused"]);
  });

  it("uri that differs from the request is rejected", async function () {
    const parameters = await challenge();
    const response = await signedGet(fixture.paths.listServices, parameters, {
      uri: `${fixture.paths.listServices}?other=1`,
    });
    assert.equal(response.status, 401);
  });

  it("uri with a query string is accepted", async function () {
    const parameters = await challenge();
    const path = `${fixture.paths.listServices}?pretty=true`;
    const response = await signedGet(path, parameters);
    assert.equal(response.status, 200);
  });

  it("missing qop is rejected", async function () {
    const parameters = await challenge();
    const authorization = digestAuthorization({
      username: fixture.emulator.publicKey,
      password: fixture.emulator.privateKey,
      method: "GET",
      uri: fixture.paths.listServices,
      nonce: parameters.nonce,
      realm: parameters.realm,
      nonceCount: 1,
    }).replace(", qop=auth", "");
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: authorization },
    });
    assert.equal(response.status, 401);
  });

  it("basic authentication is rejected", async function () {
    const basic = Buffer.from(`${fixture.emulator.publicKey}:${fixture.emulator.privateKey}`).toString("base64");
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: `Basic ${basic}` },
    });
    assert.equal(response.status, 401);
  });

  it("responses never contain the private key", async function () {
    const parameters = await challenge();
    const responses = [
      await signedGet(fixture.paths.listServices, parameters, { password: "wrong" }),
      await signedGet(fixture.paths.listServices, parameters),
    ];
    for (const response of responses) {
      assert.ok(!response.text.includes(fixture.emulator.privateKey));
      assert.ok(!JSON.stringify(response.headers).includes(fixture.emulator.privateKey));
    }
  });

  it("key limited to other projects gets 403", async function () {
    const otherProject = "0123456789abcdef01234567";
    await fixture.control.ok("POST", "projects", { id: otherProject });
    await fixture.control.ok("POST", "keys", {
      publicKey: "limited1",
      privateKey: "limited-secret",
      projectIds: [otherProject],
    });
    const client = new AtlasTestClient(fixture.emulator.baseUrl, "limited1", "limited-secret");
    const denied = await client.get(fixture.paths.listServices);
    assert.equal(denied.status, 403);
    assert.equal(denied.headers["content-type"], "application/json");
    const body = denied.json as { error: number; errorCode: string; reason: string };
    assert.equal(body.error, 403);
    assert.equal(body.errorCode, "ACCESS_FORBIDDEN");
    assert.equal(body.reason, "Forbidden");
    const allowed = await client.get(`/api/atlas/v2/groups/${otherProject}/privateEndpoint/AWS/endpointService`);
    assert.equal(allowed.status, 200);
  });

  it("key list hides private keys", async function () {
    const keys = await fixture.control.ok<{ keys: Record<string, unknown>[] }>("GET", "keys");
    assert.ok(keys.keys.some((key) => key.publicKey === fixture.emulator.publicKey));
    assert.ok(!JSON.stringify(keys).includes(fixture.emulator.privateKey));
  });
});

/** Nonce lifetime of the expiry suite, in milliseconds: long enough for a challenge and its retry. */
const NONCE_LIFETIME_MS = 1000;

describe("emulator digest nonce expiry", function () {
  this.timeout(10_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture({ nonceLifetimeMs: NONCE_LIFETIME_MS });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  async function challenge(): Promise<Record<string, string>> {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT },
    });
    assert.equal(response.status, 401);
    return parseChallenge(response.headers["www-authenticate"]);
  }

  function signedGet(path: string, parameters: Record<string, string>, password = fixture.emulator.privateKey) {
    const authorization = digestAuthorization({
      username: fixture.emulator.publicKey,
      password,
      method: "GET",
      uri: path,
      nonce: parameters.nonce,
      realm: parameters.realm,
      nonceCount: 1,
    });
    return rawRequest(fixture.emulator.baseUrl, "GET", path, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: authorization },
    });
  }

  it("expired nonce gets stale=true", async function () {
    const parameters = await challenge();
    await new Promise((resolve) => setTimeout(resolve, NONCE_LIFETIME_MS + 200));
    const response = await signedGet(fixture.paths.listServices, parameters);
    assert.equal(response.status, 401);
    const renewed = parseChallenge(response.headers["www-authenticate"]);
    assert.equal(renewed.stale, "true");
    assert.equal((response.json as { errorCode: string }).errorCode, "UNAUTHORIZED");
    assert.notEqual(renewed.nonce, parameters.nonce);
    const retried = await signedGet(fixture.paths.listServices, renewed);
    assert.equal(retried.status, 200);
  });

  it("expired nonce with wrong password is not stale", async function () {
    const parameters = await challenge();
    await new Promise((resolve) => setTimeout(resolve, NONCE_LIFETIME_MS + 200));
    const response = await signedGet(fixture.paths.listServices, parameters, "wrong");
    assert.equal(response.status, 401);
    assert.equal(parseChallenge(response.headers["www-authenticate"]).stale, "false");
  });

  it("unknown nonce with valid hash is stale", async function () {
    const response = await signedGet(fixture.paths.listServices, { nonce: "made-up-nonce", realm: "MMS Public API" });
    assert.equal(response.status, 401);
    assert.equal(parseChallenge(response.headers["www-authenticate"]).stale, "true");
    const log = await fixture.control.ok<{ requests: { auth: string }[] }>("GET", "requests");
    assert.equal(log.requests[log.requests.length - 1].auth, "stale");
  });
});
