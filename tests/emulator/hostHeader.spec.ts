import assert from "node:assert/strict";
import { AtlasTestClient, rawRequest } from "./support/atlasTestClient";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";
import { bearerRequest, legacyPaths, requestToken } from "./support/oauthTestClient";
import type { TokenBody } from "./support/oauthTestClient";

/** Host headers a client sends when its base URL names Atlas for Government, or another name for the emulator. */
const HOSTS = ["cloud.mongodbgov.com", "cloud.mongodbgov.com:443", "cloud.mongodb.com", "localhost:1", "example.test"];

describe("emulator Host header", function () {
  this.timeout(15_000);
  let fixture: EmulatorFixture;

  before(async function () {
    fixture = await startFixture({ tokenRateLimit: null });
  });

  after(async function () {
    await fixture.emulator.close();
  });

  for (const host of HOSTS) {
    it(`token and v2 requests work for Host ${host}`, async function () {
      const tokenResponse = await requestToken(
        fixture.emulator.baseUrl,
        fixture.emulator.clientId,
        fixture.emulator.clientSecret,
        { headers: { Host: host } },
      );
      assert.equal(tokenResponse.status, 200, tokenResponse.text);
      const accessToken = (tokenResponse.json as TokenBody).access_token;
      const response = await bearerRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, accessToken, {
        headers: { Host: host },
      });
      assert.equal(response.status, 200, response.text);
    });
  }

  it("digest handshake works for a gov Host", async function () {
    const headers = { Host: "cloud.mongodbgov.com" };
    const challenge = await rawRequest(fixture.emulator.baseUrl, "GET", fixture.paths.listServices, { headers });
    assert.equal(challenge.status, 401);
    const client = new AtlasTestClient(
      fixture.emulator.baseUrl,
      fixture.emulator.publicKey,
      fixture.emulator.privateKey,
    );
    const v2 = await client.get(fixture.paths.listServices, { headers });
    assert.equal(v2.status, 200, v2.text);
    const legacy = await client.get(legacyPaths(fixture.emulator.projectId).root, {
      accept: "application/json",
      headers,
    });
    assert.equal(legacy.status, 200, legacy.text);
  });
});
