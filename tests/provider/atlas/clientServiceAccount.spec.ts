import * as assert from "node:assert/strict";

import { startEmulator } from "../../../emulator";
import type { RunningEmulator } from "../../../emulator";
import { AtlasApiError, AtlasClient, sharedAtlasClient, TOKEN_RENEWAL_MARGIN_MS } from "../../../provider/atlas";
import type { AtlasClientOptions } from "../../../provider/atlas";
import { FakeRetryRuntime } from "./support/fakeRuntime";
import { rejectionOf, renderingsOf } from "./support/fixtures";

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  authScheme: string | null;
  authFailure: string | null;
}

interface Account {
  clientId: string;
  clientSecret: string;
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

describe("AtlasClient with a service account", () => {
  let emulator: RunningEmulator;
  let runtime: FakeRetryRuntime;
  // Tokens are cached per process and service account, so every test uses an account of its own.
  let account: Account;

  function clientFor(options: Partial<AtlasClientOptions> = {}): AtlasClient {
    return new AtlasClient({ baseUrl: emulator.baseUrl, ...account, ...options }, runtime);
  }

  async function tokensIssued(clientId = account.clientId): Promise<number> {
    const { clients } = (await control(emulator, "GET", "tokens")) as {
      clients: { clientId: string; issued: number }[];
    };
    return clients.find((entry) => entry.clientId === clientId)?.issued ?? 0;
  }

  async function requestLog(): Promise<LoggedRequest[]> {
    return ((await control(emulator, "GET", "requests")) as { requests: LoggedRequest[] }).requests;
  }

  before(async () => {
    emulator = await startEmulator({ tokenRateLimit: null });
  });

  after(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    await control(emulator, "POST", "reset");
    runtime = new FakeRetryRuntime();
    account = (await control(emulator, "POST", "service-accounts", {})) as Account;
  });

  it("sends API calls with a bearer token", async () => {
    const services = await clientFor().listEndpointServices(emulator.projectId);

    assert.deepEqual(services, []);
    const logged = await requestLog();
    assert.deepEqual(
      logged.map((entry) => `${entry.method} ${entry.path} ${entry.status} ${entry.authScheme}`),
      [
        "POST /api/oauth/token 200 basic",
        `GET /api/atlas/v2/groups/${emulator.projectId}/privateEndpoint/AWS/endpointService 200 bearer`,
      ],
    );
  });

  it("reports the service account method", () => {
    assert.equal(clientFor().authMethod, "serviceAccount");
  });

  it("fetches one token for 20 parallel calls", async () => {
    const client = clientFor();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.listEndpointServices(emulator.projectId)),
    );

    assert.equal(results.length, 20);
    assert.equal(await tokensIssued(), 1);
  });

  it("shares the token between clients of one account", async () => {
    await clientFor().listEndpointServices(emulator.projectId);
    await clientFor({ timeoutMs: 10_000 }).listEndpointServices(emulator.projectId);

    assert.equal(await tokensIssued(), 1);
  });

  it("renews the token shortly before it expires", async () => {
    const client = clientFor();
    await client.listEndpointServices(emulator.projectId);
    // The emulator issues tokens for 3600 s; the client renews them TOKEN_RENEWAL_MARGIN_MS before that.
    runtime.currentMs += 3_600_000 - TOKEN_RENEWAL_MARGIN_MS - 1;
    await client.listEndpointServices(emulator.projectId);
    assert.equal(await tokensIssued(), 1);

    runtime.currentMs += 1;
    await client.listEndpointServices(emulator.projectId);

    assert.equal(await tokensIssued(), 2);
  });

  it("fetches a new token once after a 401", async () => {
    const client = clientFor();
    await client.listEndpointServices(emulator.projectId);
    await control(emulator, "DELETE", `tokens/${account.clientId}`);

    const services = await client.listEndpointServices(emulator.projectId);

    assert.deepEqual(services, []);
    assert.equal(await tokensIssued(), 2);
    const failures = (await requestLog()).filter((entry) => entry.status === 401);
    assert.deepEqual(
      failures.map((entry) => entry.authFailure),
      ["revoked access token"],
    );
  });

  it("renews a token rejected on a POST", async () => {
    const client = clientFor();
    await client.listEndpointServices(emulator.projectId);
    await control(emulator, "DELETE", `tokens/${account.clientId}`);

    const service = await client.createEndpointService(emulator.projectId, "us-east-1");

    assert.equal(service.cloudProvider, "AWS");
    assert.equal(await tokensIssued(), 2);
  });

  it("fails when a renewed token is rejected too", async () => {
    const client = clientFor();
    await client.listEndpointServices(emulator.projectId);
    await control(emulator, "POST", "faults", { path: "/api/atlas/**", status: 401, count: 2 });

    const err = await rejectionOf(client.listEndpointServices(emulator.projectId));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 401);
    assert.match(err.message, /mongodbatlas:clientId and mongodbatlas:clientSecret/);
    assert.equal(await tokensIssued(), 2);
  });

  it("retries a 429 from the token endpoint", async () => {
    await control(emulator, "POST", "faults", {
      path: "/api/oauth/token",
      status: 429,
      retryAfterSeconds: 2,
      count: 2,
    });
    const client = clientFor();

    await client.listEndpointServices(emulator.projectId);

    assert.deepEqual(runtime.sleeps, [2000, 2000]);
    assert.equal(client.retryCount, 2);
    assert.equal(await tokensIssued(), 1);
  });

  it("retries a 503 and a dropped connection", async () => {
    await control(emulator, "POST", "faults", { path: "/api/oauth/token", status: 503, count: 1 });
    await control(emulator, "POST", "faults", { path: "/api/oauth/token", drop: true, count: 1 });
    const lines: string[] = [];
    const client = clientFor({ log: (line) => lines.push(line) });

    await client.listEndpointServices(emulator.projectId);

    assert.equal(lines.length, 2);
    assert.match(lines[0], /^Atlas POST \/api\/oauth\/token returned 503 SERVICE_UNAVAILABLE; retry 1 of 4 in /);
    assert.match(lines[1], /^Atlas POST \/api\/oauth\/token failed with UND_ERR_SOCKET; retry 2 of 4 in /);
    assert.equal(await tokensIssued(), 1);
  });

  it("gives up on the token endpoint after maxAttempts", async () => {
    await control(emulator, "POST", "faults", {
      path: "/api/oauth/token",
      status: 429,
      retryAfterSeconds: 1,
      count: 10,
    });
    const client = clientFor({ retry: { maxAttempts: 3 } });

    const err = await rejectionOf(client.listEndpointServices(emulator.projectId));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 429);
    assert.equal(err.attempts, 3);
    assert.equal(err.path, "/api/oauth/token");
    assert.match(err.message, /Gave up after 3 attempts/);
  });

  it("names the settings when the secret is wrong", async () => {
    const wrongSecret = "mdb_sa_sk_0000000000000000000000000000000000000000";
    const client = clientFor({ clientSecret: wrongSecret });

    const err = await rejectionOf(client.listEndpointServices(emulator.projectId));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 401);
    assert.equal(err.errorCode, "invalid_client");
    assert.match(
      err.message,
      /^Atlas authentication failed with 401 invalid_client for POST \/api\/oauth\/token: .+ Check the Atlas service account set in mongodbatlas:clientId and mongodbatlas:clientSecret or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET/,
    );
    for (const [form, text] of Object.entries(renderingsOf(err))) {
      assert.ok(!text.includes(wrongSecret), `client secret in the error ${form}`);
    }
  });

  it("keeps the secret and token out of util.inspect of the client", async () => {
    const { inspect } = await import("node:util");
    const client = clientFor();
    await client.listEndpointServices(emulator.projectId);

    const text = inspect(client, { showHidden: true, depth: 6 });

    assert.ok(!text.includes(account.clientSecret), "client secret in util.inspect");
    assert.ok(!text.includes("eyJ"), "token in util.inspect");
  });
});

describe("AtlasClient with an access token", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ tokenRateLimit: null });
  });

  after(async () => {
    await emulator.close();
  });

  async function fetchToken(): Promise<string> {
    const basic = Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString("base64");
    const response = await fetch(`${emulator.baseUrl}/api/oauth/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it("sends the token as given", async () => {
    const accessToken = await fetchToken();
    const client = new AtlasClient({ baseUrl: emulator.baseUrl, accessToken });

    assert.deepEqual(await client.listEndpointServices(emulator.projectId), []);
    assert.equal(client.authMethod, "accessToken");
  });

  it("says a rejected token was rejected or expired", async () => {
    const accessToken = await fetchToken();
    await control(emulator, "DELETE", "tokens");
    const client = new AtlasClient({ baseUrl: emulator.baseUrl, accessToken });

    const err = await rejectionOf(client.listEndpointServices(emulator.projectId));

    assert.ok(err instanceof AtlasApiError);
    assert.equal(err.statusCode, 401);
    assert.match(
      err.message,
      /Atlas rejected the access token set in mongodbatlas:accessToken or MONGODB_ATLAS_ACCESS_TOKEN, or it has expired\. An access token is sent as given and never renewed/,
    );
    for (const [form, text] of Object.entries(renderingsOf(err))) {
      assert.ok(!text.includes(accessToken), `access token in the error ${form}`);
    }
  });
});

describe("sharedAtlasClient", () => {
  const options = { baseUrl: "http://127.0.0.1:9", publicKey: "qzxwvkjt", privateKey: "a-private-key" };

  it("returns one client for equal settings", () => {
    const log = (): void => undefined;

    assert.equal(sharedAtlasClient({ ...options, log }), sharedAtlasClient({ ...options, log }));
  });

  it("returns another client for another log", () => {
    assert.notEqual(
      sharedAtlasClient({ ...options, log: () => undefined }),
      sharedAtlasClient({ ...options, log: () => undefined }),
    );
  });

  it("returns another client for other settings", () => {
    assert.notEqual(sharedAtlasClient(options), sharedAtlasClient({ ...options, retry: { maxAttempts: 2 } }));
  });

  it("returns another client for another key", () => {
    assert.notEqual(sharedAtlasClient(options), sharedAtlasClient({ ...options, privateKey: "another-key" }));
  });
});
