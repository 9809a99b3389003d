import assert from "node:assert/strict";
import {
  ATLAS_ACCEPT,
  AtlasTestClient,
  atlasPaths,
  parseChallenge,
  rawRequest,
  waitFor,
} from "./support/atlasTestClient";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";
import { bearerRequest, legacyPaths, obtainToken, requestToken } from "./support/oauthTestClient";

interface LoggedRequest {
  path: string;
  status: number;
  auth: string;
  authScheme: string | null;
  authFailure: string | null;
  errorCode: string | null;
}

describe("emulator bearer authentication", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;
  const lines: string[] = [];

  before(async function () {
    fixture = await startFixture({ tokenRateLimit: null, onRequestLogged: (line) => lines.push(line) });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  afterEach(async function () {
    await fixture.control.ok("POST", "reset");
    lines.length = 0;
  });

  function token(): Promise<string> {
    return obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
  }

  async function logged(): Promise<LoggedRequest[]> {
    return (await fixture.control.ok<{ requests: LoggedRequest[] }>("GET", "requests")).requests;
  }

  async function lastLogged(): Promise<LoggedRequest> {
    const entries = await logged();
    return entries[entries.length - 1];
  }

  it("valid token lists services", async function () {
    const response = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, await token());
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.json, []);
  });

  it("token creates a service", async function () {
    const response = await bearerRequest(fixture.emulator.baseUrl, "POST", fixture.paths.createService, await token(), {
      body: { providerName: "AWS", region: "us-east-1" },
    });
    assert.equal(response.status, 200, response.text);
    assert.equal((response.json as { status: string }).status, "INITIATING");
  });

  it("log records the bearer scheme", async function () {
    await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, await token());
    const entry = await lastLogged();
    assert.equal(entry.status, 200);
    assert.equal(entry.auth, "ok");
    assert.equal(entry.authScheme, "bearer");
    assert.equal(entry.authFailure, null);
  });

  it("log records the digest scheme", async function () {
    await fixture.atlas.get(fixture.paths.listServices);
    const entries = await logged();
    const [challenge, served] = entries.slice(-2);
    assert.equal(challenge.auth, "missing");
    assert.equal(challenge.authScheme, null);
    assert.equal(served.auth, "ok");
    assert.equal(served.authScheme, "digest");
  });

  it("logs never contain the token", async function () {
    const accessToken = await token();
    await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken);
    await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, `${accessToken}x`);
    const text = JSON.stringify(await logged());
    assert.ok(!text.includes(accessToken), "token in the request log");
    assert.ok(!text.includes(fixture.emulator.clientSecret), "client secret in the request log");
    for (const line of lines) {
      assert.ok(!line.includes(accessToken), line);
      assert.ok(!line.includes(fixture.emulator.clientSecret), line);
    }
  });

  it("no credentials still get the digest challenge", async function () {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT },
    });
    assert.equal(response.status, 401);
    assert.equal(parseChallenge(response.headers["www-authenticate"]).realm, "MMS Public API");
  });

  it("unknown token gets Bearer challenge", async function () {
    const response = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, "not.a.token");
    assert.equal(response.status, 401);
    assert.equal(response.headers["www-authenticate"], 'Bearer realm="MMS Public API", error="invalid_token"');
    const body = response.json as { error: number; errorCode: string };
    assert.equal(body.error, 401);
    assert.equal(body.errorCode, "UNAUTHORIZED");
    const entry = await lastLogged();
    assert.equal(entry.auth, "failed");
    assert.equal(entry.authScheme, "bearer");
    assert.equal(entry.authFailure, "unknown access token");
  });

  it("revoked tokens are rejected until renewed", async function () {
    const first = await token();
    assert.equal((await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, first)).status, 200);
    const revoked = await fixture.control.ok<{ revoked: number }>("DELETE", "tokens");
    assert.equal(revoked.revoked, 1);
    const rejected = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, first);
    assert.equal(rejected.status, 401);
    assert.equal((await lastLogged()).authFailure, "revoked access token");
    const renewed = await token();
    assert.equal(
      (await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, renewed)).status,
      200,
    );
  });

  it("reset forgets issued tokens", async function () {
    const accessToken = await token();
    await fixture.control.ok("POST", "reset");
    const response = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken);
    assert.equal(response.status, 401);
    assert.equal((await lastLogged()).authFailure, "unknown access token");
  });

  it("account limited to other projects gets 403", async function () {
    const otherProject = "0123456789abcdef01234567";
    await fixture.control.ok("POST", "projects", { id: otherProject });
    await fixture.control.ok("POST", "service-accounts", {
      clientId: "limited-client",
      clientSecret: "limited-secret",
      projectIds: [otherProject],
    });
    const accessToken = await obtainToken(fixture.emulator.baseUrl, "limited-client", "limited-secret");
    const denied = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken);
    assert.equal(denied.status, 403);
    assert.equal((denied.json as { errorCode: string }).errorCode, "ACCESS_FORBIDDEN");
    const allowed = await bearerRequest(
      fixture.emulator.baseUrl,
      "GET",
      atlasPaths(otherProject).listServices,
      accessToken,
    );
    assert.equal(allowed.status, 200);
  });

  it("bearer scheme name is case-insensitive", async function () {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: `bearer ${await token()}` },
    });
    assert.equal(response.status, 200);
  });

  it("token works on legacy routes", async function () {
    const response = await bearerRequest(
      fixture.emulator.baseUrl,
      "GET",
      legacyPaths(fixture.emulator.projectId).root,
      await token(),
      { accept: "application/json" },
    );
    assert.equal(response.status, 200, response.text);
    assert.equal((await lastLogged()).authScheme, "bearer");
  });

  it("key and token share objects", async function () {
    const created = await bearerRequest(fixture.emulator.baseUrl, "POST", fixture.paths.createService, await token(), {
      body: { providerName: "AWS", region: "eu-west-1" },
    });
    const serviceId = (created.json as { id: string }).id;
    const digest = new AtlasTestClient(
      fixture.emulator.baseUrl,
      fixture.emulator.publicKey,
      fixture.emulator.privateKey,
    );
    const read = await digest.get(fixture.paths.service(serviceId));
    assert.equal(read.status, 200);
  });
});

describe("emulator bearer token expiry", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture({ tokenLifetimeMs: 300, tokenRateLimit: null });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  it("expires_in rounds a short lifetime down", async function () {
    const response = await requestToken(
      fixture.emulator.baseUrl,
      fixture.emulator.clientId,
      fixture.emulator.clientSecret,
    );
    assert.equal((response.json as { expires_in: number }).expires_in, 0);
  });

  it("expired token gets 401", async function () {
    const accessToken = await obtainToken(
      fixture.emulator.baseUrl,
      fixture.emulator.clientId,
      fixture.emulator.clientSecret,
    );
    const expired = await waitFor(
      () => bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken),
      (response) => response.status !== 200,
    );
    assert.equal(expired.status, 401);
    const log = await fixture.control.ok<{ requests: LoggedRequest[] }>("GET", "requests");
    assert.equal(log.requests[log.requests.length - 1].authFailure, "expired access token");
  });

  it("expired token no longer counts as active", async function () {
    await obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
    const summary = await waitFor(
      async () => {
        const tokens = await fixture.control.ok<{ clients: { issued: number; active: number }[] }>("GET", "tokens");
        return tokens.clients[0];
      },
      (client) => client.active === 0,
    );
    assert.ok(summary.issued >= 1, JSON.stringify(summary));
  });
});
