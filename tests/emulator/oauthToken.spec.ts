import assert from "node:assert/strict";
import { waitFor } from "./support/atlasTestClient";
import type { RawResponse } from "./support/atlasTestClient";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";
import {
  REVOKE_PATH,
  TOKEN_PATH,
  bearerRequest,
  jwtPayload,
  obtainToken,
  requestToken,
} from "./support/oauthTestClient";
import type { TokenBody } from "./support/oauthTestClient";

interface OAuthErrorBody {
  error: string;
  error_description: string;
}

interface AtlasErrorBody {
  detail: string;
  error: number;
  errorCode: string;
  parameters: unknown[];
  reason: string;
}

interface LoggedRequest {
  path: string;
  query: string;
  status: number;
  auth: string;
  authScheme: string | null;
  authFailure: string | null;
  errorCode: string | null;
  fault: string | null;
}

/** Checks the OAuth error shape and returns the body. */
function assertOAuthError(response: RawResponse, status: number, error: string): OAuthErrorBody {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers["content-type"], "application/json");
  const body = response.json as OAuthErrorBody;
  assert.deepEqual(Object.keys(body).sort(), ["error", "error_description"]);
  assert.equal(body.error, error);
  assert.equal(typeof body.error_description, "string");
  return body;
}

describe("emulator token endpoint", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture({ tokenRateLimit: null });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  afterEach(async function () {
    await fixture.control.ok("POST", "reset");
  });

  function token(options: Parameters<typeof requestToken>[3] = {}): Promise<RawResponse> {
    return requestToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret, options);
  }

  async function lastLogged(): Promise<LoggedRequest> {
    const log = await fixture.control.ok<{ requests: LoggedRequest[] }>("GET", "requests");
    return log.requests[log.requests.length - 1];
  }

  describe("success", function () {
    it("issues a bearer token", async function () {
      const response = await token();
      assert.equal(response.status, 200, response.text);
      const body = response.json as TokenBody;
      assert.deepEqual(Object.keys(body).sort(), ["access_token", "expires_in", "token_type"]);
      assert.equal(body.token_type, "Bearer");
      assert.equal(body.expires_in, 3600);
      assert.equal(typeof body.access_token, "string");
      assert.ok(body.access_token.length > 20);
    });

    it("response has a JSON content type", async function () {
      const response = await token();
      assert.match(String(response.headers["content-type"]), /^application\/vnd\.atlas\.\d{4}-\d{2}-\d{2}\+json/);
      assert.equal(response.headers["cache-control"], "no-store");
    });

    it("token is a JWT with exp", async function () {
      const body = (await token()).json as TokenBody;
      const payload = jwtPayload(body.access_token);
      assert.equal(payload.sub, fixture.emulator.clientId);
      assert.equal(typeof payload.iat, "number");
      assert.equal(payload.exp, (payload.iat as number) + 3600);
    });

    it("each request issues a new token", async function () {
      const first = ((await token()).json as TokenBody).access_token;
      const second = ((await token()).json as TokenBody).access_token;
      assert.notEqual(first, second);
    });

    it("form-encoded credentials are accepted", async function () {
      const clientSecret = "secret with+plus/and space";
      await fixture.control.ok("POST", "service-accounts", { clientId: "encoded-client", clientSecret });
      const encoded = encodeURIComponent(clientSecret).replace(/%20/g, "+");
      const response = await requestToken(fixture.emulator.baseUrl, "encoded-client", encoded);
      assert.equal(response.status, 200, response.text);
    });

    it("raw credentials with special characters are accepted", async function () {
      const clientSecret = "secret with+plus/and space";
      await fixture.control.ok("POST", "service-accounts", { clientId: "raw-client", clientSecret });
      const response = await requestToken(fixture.emulator.baseUrl, "raw-client", clientSecret);
      assert.equal(response.status, 200, response.text);
    });

    it("form charset parameter is accepted", async function () {
      const response = await token({ contentType: "application/x-www-form-urlencoded; charset=utf-8" });
      assert.equal(response.status, 200, response.text);
    });

    it("extra form fields are ignored", async function () {
      const response = await token({ body: "grant_type=client_credentials&scope=openid" });
      assert.equal(response.status, 200, response.text);
    });

    it("pretty=true indents the token body", async function () {
      const response = await token({ path: `${TOKEN_PATH}?pretty=true` });
      assert.equal(response.status, 200);
      assert.match(response.text, /^\{\n {2}"access_token"/);
    });

    it("log records basic auth without secrets", async function () {
      const response = await token();
      const accessToken = (response.json as TokenBody).access_token;
      const entry = await lastLogged();
      assert.equal(entry.path, TOKEN_PATH);
      assert.equal(entry.status, 200);
      assert.equal(entry.auth, "ok");
      assert.equal(entry.authScheme, "basic");
      const text = JSON.stringify(await fixture.control.ok("GET", "requests"));
      assert.ok(!text.includes(fixture.emulator.clientSecret), "client secret in the request log");
      assert.ok(!text.includes(accessToken), "access token in the request log");
    });
  });

  describe("errors", function () {
    it("wrong client secret gets 401 invalid_client", async function () {
      const response = await requestToken(fixture.emulator.baseUrl, fixture.emulator.clientId, "not-the-secret");
      assertOAuthError(response, 401, "invalid_client");
      assert.equal(response.headers["www-authenticate"], 'Basic realm="MMS Public API"');
      const entry = await lastLogged();
      assert.equal(entry.auth, "failed");
      assert.equal(entry.authFailure, "wrong client secret");
      assert.equal(entry.errorCode, "invalid_client");
    });

    it("unknown client gets 401 invalid_client", async function () {
      const response = await requestToken(fixture.emulator.baseUrl, "mdb_sa_id_unknown", "secret");
      assertOAuthError(response, 401, "invalid_client");
      assert.equal((await lastLogged()).authFailure, "unknown client id");
    });

    it("missing credentials get 401", async function () {
      const response = await token({ authorization: null });
      assertOAuthError(response, 401, "invalid_client");
      const entry = await lastLogged();
      assert.equal(entry.auth, "missing");
      assert.equal(entry.authScheme, null);
    });

    it("form body credentials get 401", async function () {
      const body = `grant_type=client_credentials&client_id=${fixture.emulator.clientId}&client_secret=${fixture.emulator.clientSecret}`;
      const response = await token({ authorization: null, body });
      assertOAuthError(response, 401, "invalid_client");
    });

    it("bearer header gets 401", async function () {
      const response = await token({ authorization: "Bearer something" });
      assertOAuthError(response, 401, "invalid_client");
      assert.equal((await lastLogged()).authFailure, "not a Basic authorization");
    });

    it("Basic value without a colon gets 401", async function () {
      const response = await token({ authorization: `Basic ${Buffer.from("no-colon").toString("base64")}` });
      assertOAuthError(response, 401, "invalid_client");
      assert.equal((await lastLogged()).authFailure, "malformed Basic credentials");
    });

    it("other grant type gets 400 unsupported_grant_type", async function () {
      const response = await token({ body: "grant_type=password&username=a&password=b" });
      assertOAuthError(response, 400, "unsupported_grant_type");
    });

    it("missing grant type gets 400 invalid_request", async function () {
      const response = await token({ body: "scope=openid" });
      assertOAuthError(response, 400, "invalid_request");
    });

    it("JSON body gets 400 invalid_request", async function () {
      const response = await token({
        contentType: "application/json",
        body: JSON.stringify({ grant_type: "client_credentials" }),
      });
      assertOAuthError(response, 400, "invalid_request");
    });

    it("missing content type gets 400", async function () {
      const response = await token({ contentType: null });
      assertOAuthError(response, 400, "invalid_request");
    });

    it("credentials are checked before the body", async function () {
      const response = await requestToken(fixture.emulator.baseUrl, fixture.emulator.clientId, "wrong", {
        body: "grant_type=password",
      });
      assertOAuthError(response, 401, "invalid_client");
    });

    it("GET gets 405 with Allow POST", async function () {
      const response = await token({ method: "GET", body: "" });
      assert.equal(response.status, 405);
      assert.equal((response.json as AtlasErrorBody).errorCode, "METHOD_NOT_ALLOWED");
      assert.equal(response.headers.allow, "POST");
    });

    it("unknown OAuth path gets 404", async function () {
      const response = await token({ path: "/api/oauth/authorize" });
      assert.equal(response.status, 404);
      assert.equal((response.json as AtlasErrorBody).errorCode, "RESOURCE_NOT_FOUND");
    });

    it("log redacts credential query parameters", async function () {
      await token({ path: `${TOKEN_PATH}?client_secret=${fixture.emulator.clientSecret}&pretty=true` });
      const entry = await lastLogged();
      assert.equal(entry.query, "client_secret=REDACTED&pretty=true");
    });
  });

  describe("faults", function () {
    it("503 fault applies after client authentication", async function () {
      await fixture.control.ok("POST", "faults", { path: TOKEN_PATH, status: 503, retryAfterSeconds: 2 });
      const rejected = await requestToken(fixture.emulator.baseUrl, fixture.emulator.clientId, "wrong");
      assert.equal(rejected.status, 401);
      const faulted = await token();
      assert.equal(faulted.status, 503);
      assert.equal(faulted.headers["retry-after"], "2");
      assert.equal((faulted.json as AtlasErrorBody).errorCode, "SERVICE_UNAVAILABLE");
      assert.equal((await token()).status, 200);
    });

    it("afterOperation fault loses the token", async function () {
      await fixture.control.ok("POST", "faults", { path: TOKEN_PATH, status: 502, afterOperation: true });
      assert.equal((await token()).status, 502);
      const tokens = await fixture.control.ok<{ clients: { clientId: string; issued: number }[] }>("GET", "tokens");
      const client = tokens.clients.find((candidate) => candidate.clientId === fixture.emulator.clientId);
      assert.equal(client?.issued, 1);
    });

    it("beforeAuth drop closes the connection", async function () {
      await fixture.control.ok("POST", "faults", { path: TOKEN_PATH, drop: true, beforeAuth: true });
      await assert.rejects(token());
      assert.equal((await lastLogged()).status, 0);
    });
  });

  describe("revocation", function () {
    it("revoked token is rejected by the API", async function () {
      const accessToken = await obtainToken(
        fixture.emulator.baseUrl,
        fixture.emulator.clientId,
        fixture.emulator.clientSecret,
      );
      const revoked = await token({ path: REVOKE_PATH, body: `token=${accessToken}&token_type_hint=access_token` });
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal(revoked.text, "");
      const response = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken);
      assert.equal(response.status, 401);
      assert.equal((await lastLogged()).authFailure, "revoked access token");
    });

    it("unknown token revocation still gets 200", async function () {
      const response = await token({ path: REVOKE_PATH, body: "token=not-a-token" });
      assert.equal(response.status, 200);
    });

    it("token of another client is not revoked", async function () {
      await fixture.control.ok("POST", "service-accounts", { clientId: "other-client", clientSecret: "other-secret" });
      const accessToken = await obtainToken(
        fixture.emulator.baseUrl,
        fixture.emulator.clientId,
        fixture.emulator.clientSecret,
      );
      const response = await requestToken(fixture.emulator.baseUrl, "other-client", "other-secret", {
        path: REVOKE_PATH,
        body: `token=${accessToken}`,
      });
      assert.equal(response.status, 200);
      const used = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken);
      assert.equal(used.status, 200);
    });

    it("revocation without a token gets 400", async function () {
      const response = await token({ path: REVOKE_PATH, body: "token_type_hint=access_token" });
      assertOAuthError(response, 400, "invalid_request");
    });

    it("revocation needs client credentials", async function () {
      const response = await token({ path: REVOKE_PATH, body: "token=x", authorization: null });
      assertOAuthError(response, 401, "invalid_client");
    });
  });
});

describe("emulator token rate limit", function () {
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

  function token(clientId = fixture.emulator.clientId, clientSecret = fixture.emulator.clientSecret) {
    return requestToken(fixture.emulator.baseUrl, clientId, clientSecret);
  }

  it("default allows 10 tokens per minute", async function () {
    for (let i = 1; i <= 10; i++) {
      const response = await token();
      assert.equal(response.status, 200, `token ${i}: ${response.text}`);
      assert.equal(response.headers["ratelimit-limit"], "10");
      assert.equal(response.headers["ratelimit-remaining"], String(10 - i));
    }
    const limited = await token();
    assert.equal(limited.status, 429);
    const body = limited.json as AtlasErrorBody;
    assert.equal(body.error, 429);
    assert.equal(body.errorCode, "RATE_LIMITED");
    assert.equal(body.reason, "Too Many Requests");
    assert.equal(body.detail, "Resource /api/oauth/token is limited to 10 requests every 1 minutes.");
    assert.deepEqual(body.parameters, [TOKEN_PATH, 10, 1]);
    assert.equal(limited.headers["content-type"], "application/json");
    assert.equal(limited.headers["ratelimit-remaining"], "0");
  });

  it("429 carries Retry-After within the window", async function () {
    await fixture.control.ok("PUT", "token-rate-limit", { limit: 1 });
    assert.equal((await token()).status, 200);
    const limited = await token();
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers["retry-after"]);
    assert.ok(Number.isInteger(retryAfter), String(limited.headers["retry-after"]));
    assert.ok(retryAfter >= 1, String(retryAfter));
    assert.ok(retryAfter <= 60, String(retryAfter));
  });

  it("limit is per client", async function () {
    await fixture.control.ok("PUT", "token-rate-limit", { limit: 1 });
    await fixture.control.ok("POST", "service-accounts", { clientId: "second-client", clientSecret: "second-secret" });
    assert.equal((await token()).status, 200);
    assert.equal((await token()).status, 429);
    assert.equal((await token("second-client", "second-secret")).status, 200);
  });

  it("rejected requests do not count", async function () {
    await fixture.control.ok("PUT", "token-rate-limit", { limit: 1 });
    for (let i = 0; i < 3; i++) {
      assert.equal((await token(fixture.emulator.clientId, "wrong")).status, 401);
    }
    assert.equal((await token()).status, 200);
  });

  it("window end allows new tokens", async function () {
    await fixture.control.ok("PUT", "token-rate-limit", { limit: 2, windowMs: 300 });
    assert.equal((await token()).status, 200);
    assert.equal((await token()).status, 200);
    const limited = await token();
    assert.equal(limited.status, 429);
    assert.match((limited.json as AtlasErrorBody).detail, /limited to 2 requests every 0\.3 seconds/);
    const later = await waitFor(
      () => token(),
      (response) => response.status === 200,
    );
    assert.equal(later.status, 200);
  });

  it("active token limit gets 403 access_denied", async function () {
    const limited = await startFixture({ maxActiveTokens: 2, tokenRateLimit: null });
    try {
      const issue = () =>
        requestToken(limited.emulator.baseUrl, limited.emulator.clientId, limited.emulator.clientSecret);
      assert.equal((await issue()).status, 200);
      assert.equal((await issue()).status, 200);
      const denied = await issue();
      assertOAuthError(denied, 403, "access_denied");
      await limited.control.ok("DELETE", "tokens");
      assert.equal((await issue()).status, 200);
    } finally {
      await limited.emulator.close();
    }
  });
});
