import assert from "node:assert/strict";
import { ATLAS_ACCEPT, AtlasTestClient, rawRequest } from "./support/atlasTestClient";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";

interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  auth: string;
  errorCode: string | null;
  fault: string | null;
}

describe("emulator request log", function () {
  this.timeout(10_000);
  let fixture: EmulatorFixture;
  const lines: string[] = [];

  before(async function () {
    fixture = await startFixture({ onRequestLogged: (line) => lines.push(line) });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  beforeEach(async function () {
    await fixture.control.ok("DELETE", "requests");
    lines.length = 0;
  });

  async function logged(): Promise<LoggedRequest[]> {
    return (await fixture.control.ok<{ requests: LoggedRequest[] }>("GET", "requests")).requests;
  }

  it("records the handshake and the request", async function () {
    const client = new AtlasTestClient(
      fixture.emulator.baseUrl,
      fixture.emulator.publicKey,
      fixture.emulator.privateKey,
    );
    await client.get(`${fixture.paths.listServices}?pretty=true`);
    const entries = await logged();
    assert.equal(entries.length, 2);
    const [challenge, served] = entries;
    assert.equal(challenge.status, 401);
    assert.equal(challenge.auth, "missing");
    assert.equal(challenge.errorCode, "UNAUTHORIZED");
    assert.equal(served.method, "GET");
    assert.equal(served.path, fixture.paths.listServices);
    assert.equal(served.query, "pretty=true");
    assert.equal(served.status, 200);
    assert.equal(served.auth, "ok");
    assert.equal(served.errorCode, null);
    assert.equal(served.fault, null);
    assert.equal(typeof served.durationMs, "number");
    assert.ok(!Number.isNaN(Date.parse(served.time)));
  });

  it("records failed authentication without the key", async function () {
    const response = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, {
      headers: {
        Accept: ATLAS_ACCEPT,
        Authorization: `Digest username="${fixture.emulator.publicKey}", realm="MMS Public API", nonce="x", uri="${fixture.paths.listServices}", response="00", qop=auth, nc=00000001, cnonce="c"`,
      },
    });
    assert.equal(response.status, 401);
    const entries = await logged();
    assert.equal(entries[0].auth, "failed");
    const text = JSON.stringify(entries);
    assert.ok(!text.includes(fixture.emulator.privateKey));
    assert.ok(!text.includes(fixture.emulator.publicKey));
  });

  it("records Atlas error codes", async function () {
    await fixture.atlas.get(fixture.paths.service("aaaaaaaaaaaaaaaaaaaaaaaa"));
    const entries = await logged();
    const served = entries[entries.length - 1];
    assert.equal(served.status, 404);
    assert.equal(served.auth, "ok");
    assert.equal(served.errorCode, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND");
  });

  it("leaves out control requests", async function () {
    await fixture.control.ok("GET", "health");
    await fixture.control.ok("GET", "state");
    assert.deepEqual(await logged(), []);
  });

  it("DELETE clears the log", async function () {
    await fixture.atlas.get(fixture.paths.listServices);
    assert.ok((await logged()).length > 0);
    const cleared = await fixture.control.ok<{ requests: unknown[] }>("DELETE", "requests");
    assert.deepEqual(cleared.requests, []);
    assert.deepEqual(await logged(), []);
  });

  it("log lines name method, path, status and time", async function () {
    await fixture.atlas.get(fixture.paths.listServices);
    const line = lines.find((candidate) => candidate.endsWith("ms") && candidate.includes(" 200 "));
    assert.ok(line, lines.join("\n"));
    assert.match(line, new RegExp(`^GET ${fixture.paths.listServices} 200 \\d+ms$`));
    for (const entry of lines) {
      assert.ok(!entry.includes(fixture.emulator.privateKey));
    }
  });
});
