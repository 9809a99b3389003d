import assert from "node:assert/strict";
import { startFixture } from "./support/fixtures";
import type { EmulatorFixture } from "./support/fixtures";
import { obtainToken, requestToken } from "./support/oauthTestClient";
import { startEmulator } from "../../emulator";

interface AccountListing {
  serviceAccounts: { clientId: string; projectIds: string[] | null }[];
}

interface TokenListing {
  clients: { clientId: string; issued: number; active: number; lastIssuedAt: string | null }[];
}

describe("emulator service account control", function () {
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

  async function tokenCounts(clientId: string) {
    const listing = await fixture.control.ok<TokenListing>("GET", "tokens");
    const client = listing.clients.find((candidate) => candidate.clientId === clientId);
    assert.ok(client, JSON.stringify(listing));
    return client;
  }

  describe("accounts", function () {
    it("default account has the Atlas shape", function () {
      assert.match(fixture.emulator.clientId, /^mdb_sa_id_[0-9a-f]{24}$/);
      assert.match(fixture.emulator.clientSecret, /^mdb_sa_sk_[0-9a-f]{40}$/);
    });

    it("list hides client secrets", async function () {
      const listing = await fixture.control.ok<AccountListing>("GET", "service-accounts");
      assert.deepEqual(listing.serviceAccounts, [{ clientId: fixture.emulator.clientId, projectIds: null }]);
      assert.ok(!JSON.stringify(listing).includes(fixture.emulator.clientSecret));
    });

    it("added account can obtain tokens", async function () {
      const created = await fixture.control.call("POST", "service-accounts", {
        clientId: "added-client",
        clientSecret: "added-secret",
        projectIds: [fixture.emulator.projectId],
      });
      assert.equal(created.status, 201);
      assert.deepEqual(created.json, {
        clientId: "added-client",
        clientSecret: "added-secret",
        projectIds: [fixture.emulator.projectId],
      });
      const response = await requestToken(fixture.emulator.baseUrl, "added-client", "added-secret");
      assert.equal(response.status, 200);
    });

    it("missing credentials are generated", async function () {
      const created = await fixture.control.ok<{ clientId: string; clientSecret: string }>("POST", "service-accounts");
      assert.match(created.clientId, /^mdb_sa_id_[0-9a-f]{24}$/);
      assert.match(created.clientSecret, /^mdb_sa_sk_[0-9a-f]{40}$/);
      const response = await requestToken(fixture.emulator.baseUrl, created.clientId, created.clientSecret);
      assert.equal(response.status, 200);
    });

    it("duplicate client id gets 409", async function () {
      const response = await fixture.control.call("POST", "service-accounts", {
        clientId: fixture.emulator.clientId,
        clientSecret: "other",
      });
      assert.equal(response.status, 409);
    });

    it("client id with a colon gets 400", async function () {
      const response = await fixture.control.call("POST", "service-accounts", { clientId: "a:b", clientSecret: "s" });
      assert.equal(response.status, 400);
    });

    it("malformed projectIds get 400", async function () {
      const response = await fixture.control.call("POST", "service-accounts", { projectIds: "all" });
      assert.equal(response.status, 400);
    });

    it("reset removes added accounts", async function () {
      await fixture.control.ok("POST", "service-accounts", { clientId: "temporary", clientSecret: "secret" });
      await fixture.control.ok("POST", "reset");
      const listing = await fixture.control.ok<AccountListing>("GET", "service-accounts");
      assert.deepEqual(
        listing.serviceAccounts.map((account) => account.clientId),
        [fixture.emulator.clientId],
      );
      const response = await requestToken(fixture.emulator.baseUrl, "temporary", "secret");
      assert.equal(response.status, 401);
    });
  });

  describe("tokens", function () {
    it("counts tokens per client", async function () {
      await fixture.control.ok("POST", "service-accounts", { clientId: "second", clientSecret: "second-secret" });
      await obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
      await obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
      const first = await tokenCounts(fixture.emulator.clientId);
      assert.equal(first.issued, 2);
      assert.equal(first.active, 2);
      assert.ok(!Number.isNaN(Date.parse(String(first.lastIssuedAt))));
      const second = await tokenCounts("second");
      assert.equal(second.issued, 0);
      assert.equal(second.active, 0);
      assert.equal(second.lastIssuedAt, null);
    });

    it("listing never contains token values", async function () {
      const accessToken = await obtainToken(
        fixture.emulator.baseUrl,
        fixture.emulator.clientId,
        fixture.emulator.clientSecret,
      );
      const text = JSON.stringify(await fixture.control.ok("GET", "tokens"));
      assert.ok(!text.includes(accessToken));
      const state = JSON.stringify(await fixture.control.ok("GET", "state"));
      assert.ok(!state.includes(accessToken));
      assert.ok(!state.includes(fixture.emulator.clientSecret));
    });

    it("revoking keeps the issued count", async function () {
      await obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
      const revoked = await fixture.control.ok<{ revoked: number }>("DELETE", "tokens");
      assert.equal(revoked.revoked, 1);
      const counts = await tokenCounts(fixture.emulator.clientId);
      assert.equal(counts.issued, 1);
      assert.equal(counts.active, 0);
    });

    it("revokes the tokens of one client", async function () {
      await fixture.control.ok("POST", "service-accounts", { clientId: "kept", clientSecret: "kept-secret" });
      await obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
      await obtainToken(fixture.emulator.baseUrl, "kept", "kept-secret");
      const revoked = await fixture.control.ok<{ revoked: number }>(
        "DELETE",
        `tokens/${encodeURIComponent(fixture.emulator.clientId)}`,
      );
      assert.equal(revoked.revoked, 1);
      assert.equal((await tokenCounts("kept")).active, 1);
    });

    it("revoking for an unknown client gets 404", async function () {
      const response = await fixture.control.call("DELETE", "tokens/nobody");
      assert.equal(response.status, 404);
    });

    it("reset clears the counts", async function () {
      await obtainToken(fixture.emulator.baseUrl, fixture.emulator.clientId, fixture.emulator.clientSecret);
      await fixture.control.ok("POST", "reset");
      assert.equal((await tokenCounts(fixture.emulator.clientId)).issued, 0);
    });
  });

  describe("token rate limit", function () {
    it("starts as the option", async function () {
      const limit = await fixture.control.ok<{ tokenRateLimit: unknown }>("GET", "token-rate-limit");
      assert.equal(limit.tokenRateLimit, null);
    });

    it("PUT sets and reset restores", async function () {
      const set = await fixture.control.ok<{ tokenRateLimit: unknown }>("PUT", "token-rate-limit", { limit: 3 });
      assert.deepEqual(set.tokenRateLimit, { limit: 3, windowMs: 60_000 });
      const state = await fixture.control.ok<{ tokenRateLimit: unknown }>("GET", "state");
      assert.deepEqual(state.tokenRateLimit, { limit: 3, windowMs: 60_000 });
      await fixture.control.ok("POST", "reset");
      const after = await fixture.control.ok<{ tokenRateLimit: unknown }>("GET", "token-rate-limit");
      assert.equal(after.tokenRateLimit, null);
    });

    it("DELETE turns it off", async function () {
      await fixture.control.ok("PUT", "token-rate-limit", { limit: 1 });
      await fixture.control.ok("DELETE", "token-rate-limit");
      for (let i = 0; i < 3; i++) {
        const response = await requestToken(
          fixture.emulator.baseUrl,
          fixture.emulator.clientId,
          fixture.emulator.clientSecret,
        );
        assert.equal(response.status, 200);
      }
    });

    it("rejects invalid values", async function () {
      assert.equal((await fixture.control.call("PUT", "token-rate-limit", { limit: 0 })).status, 400);
      assert.equal((await fixture.control.call("PUT", "token-rate-limit", { limit: 1.5 })).status, 400);
      assert.equal((await fixture.control.call("PUT", "token-rate-limit", { limit: 2, windowMs: -1 })).status, 400);
    });

    it("state reports token settings", async function () {
      const state = await fixture.control.ok<{ tokenLifetimeMs: number; maxActiveTokens: number | null }>(
        "GET",
        "state",
      );
      assert.equal(state.tokenLifetimeMs, 3_600_000);
      assert.equal(state.maxActiveTokens, 100);
    });
  });
});

describe("emulator service account options", function () {
  it("accepts the given accounts", async function () {
    const emulator = await startEmulator({
      serviceAccounts: [
        { clientId: "first-client", clientSecret: "first-secret" },
        { clientId: "second-client", clientSecret: "second-secret" },
      ],
    });
    try {
      assert.equal(emulator.clientId, "first-client");
      assert.equal(emulator.clientSecret, "first-secret");
      const response = await requestToken(emulator.baseUrl, "second-client", "second-secret");
      assert.equal(response.status, 200);
    } finally {
      await emulator.close();
    }
  });

  it("each start gets a new random account", async function () {
    const first = await startEmulator();
    const second = await startEmulator();
    try {
      assert.notEqual(first.clientId, second.clientId);
      assert.notEqual(first.clientSecret, second.clientSecret);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("rejects invalid token options", async function () {
    await assert.rejects(startEmulator({ serviceAccounts: [] }), RangeError);
    await assert.rejects(startEmulator({ serviceAccounts: [{ clientId: "", clientSecret: "x" }] }), RangeError);
    await assert.rejects(
      startEmulator({
        serviceAccounts: [
          { clientId: "twice", clientSecret: "a" },
          { clientId: "twice", clientSecret: "b" },
        ],
      }),
      RangeError,
    );
    await assert.rejects(startEmulator({ tokenLifetimeMs: 0 }), RangeError);
    await assert.rejects(startEmulator({ tokenRateLimit: { limit: 0 } }), RangeError);
    await assert.rejects(startEmulator({ maxActiveTokens: 0 }), RangeError);
    await assert.rejects(startEmulator({ timing: { endpointNoneMs: -1 } }), RangeError);
  });
});
