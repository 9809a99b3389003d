import * as assert from "node:assert/strict";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { EmulatorControl } from "./support/emulatorControl";
import type { EmulatorRequest } from "./support/emulatorControl";
import { assertNoKeyLeaked } from "./support/keyAudit";
import type { AuditedCredentials } from "./support/keyAudit";
import { PulumiStack, REPO_ROOT } from "./support/pulumiStack";
import type { PulumiStackOptions } from "./support/pulumiStack";

const LINKS_PROGRAM = path.join(REPO_ROOT, "tests", "e2e", "programs", "links");
const LOOKUP_PROGRAM = path.join(REPO_ROOT, "tests", "e2e", "programs", "interface-link");
const TOKEN_PATH = "/api/oauth/token";
const LINK_COUNT = 20;
const VPCES = Array.from(
  { length: LINK_COUNT },
  (_, index) => `vpce-${index.toString(16).padStart(2, "0")}${"a".repeat(15)}`,
);

const FAST_TIMING = {
  serviceInitiatingMs: 300,
  serviceDeletingMs: 300,
  endpointPendingAcceptanceMs: 300,
  endpointPendingMs: 300,
  endpointDeletingMs: 300,
};

/** Returns the successful token requests in `requests`. */
function tokenRequests(requests: EmulatorRequest[]): EmulatorRequest[] {
  return requests.filter((request) => request.path === TOKEN_PATH && request.status === 200);
}

/** Returns the authentication schemes of the API calls in `requests` that Atlas accepted, without repeats. */
function apiSchemes(requests: EmulatorRequest[]): (string | null)[] {
  const api = requests.filter((request) => request.path.startsWith("/api/atlas/") && request.status !== 401);
  return [...new Set(api.map((request) => request.authScheme))];
}

describe("authentication methods through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);

  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: PulumiStack | undefined;
  let audited: AuditedCredentials;
  let secretsInConfig: boolean;

  before(async function () {
    // Each command fetches one token per process; the limit leaves room for a regression to show up as a count
    // instead of a 429.
    emulator = await startEmulator({ timing: FAST_TIMING, tokenRateLimit: { limit: 100 } });
    control = new EmulatorControl(emulator.baseUrl);
  });

  after(async function () {
    if (emulator) {
      await emulator.close();
    }
  });

  beforeEach(async function () {
    await control.reset();
    audited = {
      publicKey: emulator.publicKey,
      privateKey: emulator.privateKey,
      clientSecret: emulator.clientSecret,
    };
    secretsInConfig = true;
  });

  afterEach(async function () {
    if (stack === undefined) {
      return;
    }
    await assertNoKeyLeaked(stack, control, audited, { keysInConfig: secretsInConfig });
    await stack.destroy({ allowFailure: true });
    await stack.dispose();
    stack = undefined;
  });

  async function linksStack(options: Omit<PulumiStackOptions, "programDir">, links: string[]): Promise<PulumiStack> {
    stack = await PulumiStack.create({
      programDir: LINKS_PROGRAM,
      ...options,
      config: {
        "links-e2e:projectId": emulator.projectId,
        "links-e2e:interfaceEndpointIds": JSON.stringify(links),
        ...options.config,
      },
    });
    return stack;
  }

  /** Requests a token from the emulator's token endpoint, as a user would with curl. */
  async function fetchAccessToken(): Promise<string> {
    const basic = Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString("base64");
    const response = await fetch(`${emulator.baseUrl}${TOKEN_PATH}`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it("service account in config fetches one token per command", async function () {
    const current = await linksStack(
      {
        config: { "mongodbatlas:baseUrl": emulator.baseUrl, "mongodbatlas:clientId": emulator.clientId },
        secretConfig: { "mongodbatlas:clientSecret": emulator.clientSecret },
      },
      VPCES,
    );

    await current.up();

    const outputs = await current.outputs();
    assert.deepEqual(outputs.connectionStatuses, Object.fromEntries(VPCES.map((id) => [id, "AVAILABLE"])));
    const upRequests = await control.requests();
    assert.equal(tokenRequests(upRequests).length, 1);
    assert.deepEqual(apiSchemes(upRequests), ["bearer"]);

    await control.clearRequests();
    await current.destroy();

    assert.equal(tokenRequests(await control.requests()).length, 1);
    assert.deepEqual((await control.state()).endpoints, []);
  });

  it("service account in the environment serves the lookup", async function () {
    secretsInConfig = false;
    stack = await PulumiStack.create({
      programDir: LOOKUP_PROGRAM,
      config: {
        "interface-link-e2e:projectId": emulator.projectId,
        "interface-link-e2e:interfaceEndpointId": VPCES[0],
      },
      env: {
        MONGODB_ATLAS_CLIENT_ID: emulator.clientId,
        MONGODB_ATLAS_CLIENT_SECRET: emulator.clientSecret,
        MONGODB_ATLAS_BASE_URL: emulator.baseUrl,
      },
    });

    await stack.up();

    const outputs = await stack.outputs();
    assert.equal(outputs.connectionStatus, "AVAILABLE");
    assert.equal((outputs.lookup as Record<string, unknown>).connectionStatus, "AVAILABLE");
    const requests = await control.requests();
    // One token for the provider process and one for the program process, which runs the lookup.
    assert.equal(tokenRequests(requests).length, 2);
    assert.deepEqual(apiSchemes(requests), ["bearer"]);
    const [summary] = (await control.tokens()).filter((entry) => entry.clientId === emulator.clientId);
    assert.equal(summary.issued, 2);
  });

  it("access token in config is sent as given", async function () {
    const accessToken = await fetchAccessToken();
    audited.accessToken = accessToken;
    await control.clearRequests();
    const current = await linksStack(
      {
        config: { "mongodbatlas:baseUrl": emulator.baseUrl },
        secretConfig: { "mongodbatlas:accessToken": accessToken },
      },
      VPCES.slice(0, 2),
    );

    await current.up();

    const outputs = await current.outputs();
    assert.deepEqual(outputs.connectionStatuses, { [VPCES[0]]: "AVAILABLE", [VPCES[1]]: "AVAILABLE" });
    const requests = await control.requests();
    assert.equal(tokenRequests(requests).length, 0);
    assert.deepEqual(apiSchemes(requests), ["bearer"]);
  });

  it("rejected access token names the setting", async function () {
    const accessToken = await fetchAccessToken();
    audited.accessToken = accessToken;
    await control.reset();
    const current = await linksStack(
      {
        config: { "mongodbatlas:baseUrl": emulator.baseUrl },
        secretConfig: { "mongodbatlas:accessToken": accessToken },
      },
      VPCES.slice(0, 1),
    );

    const result = await current.up({ allowFailure: true });

    assert.notEqual(result.code, 0);
    assert.match(result.stdout, /Atlas rejected the access token set in mongodbatlas:accessToken/);
    assert.deepEqual((await control.state()).services, []);
  });

  it("config keys win over an environment service account", async function () {
    const current = await linksStack(
      {
        config: { "mongodbatlas:baseUrl": emulator.baseUrl },
        secretConfig: { "mongodbatlas:publicKey": emulator.publicKey, "mongodbatlas:privateKey": emulator.privateKey },
        env: { MONGODB_ATLAS_CLIENT_ID: emulator.clientId, MONGODB_ATLAS_CLIENT_SECRET: emulator.clientSecret },
      },
      VPCES.slice(0, 1),
    );

    await current.up();

    const requests = await control.requests();
    assert.equal(tokenRequests(requests).length, 0);
    assert.deepEqual(apiSchemes(requests), ["digest"]);
  });

  it("environment access token wins over environment keys", async function () {
    secretsInConfig = false;
    const accessToken = await fetchAccessToken();
    audited.accessToken = accessToken;
    await control.clearRequests();
    const current = await linksStack(
      {
        env: {
          MONGODB_ATLAS_BASE_URL: emulator.baseUrl,
          MONGODB_ATLAS_ACCESS_TOKEN: accessToken,
          MONGODB_ATLAS_PUBLIC_KEY: emulator.publicKey,
          MONGODB_ATLAS_PRIVATE_KEY: emulator.privateKey,
        },
      },
      VPCES.slice(0, 1),
    );

    await current.up();

    const requests = await control.requests();
    assert.equal(tokenRequests(requests).length, 0);
    assert.deepEqual(apiSchemes(requests), ["bearer"]);
  });

  it("half-set config service account names the missing secret", async function () {
    const current = await linksStack(
      {
        config: { "mongodbatlas:baseUrl": emulator.baseUrl, "mongodbatlas:clientId": emulator.clientId },
        env: { MONGODB_ATLAS_PUBLIC_KEY: emulator.publicKey, MONGODB_ATLAS_PRIVATE_KEY: emulator.privateKey },
      },
      VPCES.slice(0, 1),
    );

    const result = await current.up({ allowFailure: true });

    assert.notEqual(result.code, 0);
    assert.match(result.stdout, /Missing the Atlas service account client secret in stack config/);
    assert.match(result.stdout, /pulumi config set --secret mongodbatlas:clientSecret <client secret>/);
    assert.deepEqual(await control.requests(), []);
  });
});
