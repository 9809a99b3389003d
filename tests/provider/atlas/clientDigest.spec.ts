import * as assert from "node:assert/strict";

import { AtlasApiError, AtlasClient, AtlasRequestError } from "../../../provider/atlas";
import { AtlasStub } from "./support/atlasStub";
import type { AtlasStubOptions } from "./support/atlasStub";
import {
  GROUP_PATH,
  PRIVATE_KEY,
  PROJECT_ID,
  PUBLIC_KEY,
  SERVICE_ID,
  rejectionOf,
  renderingsOf,
} from "./support/fixtures";

const SERVICE_PATH = `${GROUP_PATH}/AWS/endpointService/${SERVICE_ID}`;

describe("AtlasClient digest authentication", () => {
  let stub: AtlasStub;
  let client: AtlasClient;
  let logLines: string[];
  const log = (line: string) => logLines.push(line);

  async function startStub(options: Partial<AtlasStubOptions> = {}): Promise<void> {
    stub = await AtlasStub.start({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, ...options });
    stub.handler = () => ({ status: 200, body: JSON.stringify({ id: SERVICE_ID, cloudProvider: "AWS" }) });
    logLines = [];
    client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
  }

  afterEach(async () => {
    await stub.close();
  });

  context("with the challenge Atlas sends", () => {
    beforeEach(async () => {
      await startStub();
    });

    it("sends no Authorization before the challenge", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(stub.requests[0].headers.authorization, undefined);
    });

    it("authenticates in a second request", async () => {
      const service = await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.equal(stub.requests.length, 2);
    });

    it("sends the response hash the server computes", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(stub.requests[1].digestValid, true);
    });

    it("echoes the challenge fields with qop=auth", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      const fields = stub.requests[1].authorization;
      assert.ok(fields, "the second request carries a Digest Authorization header");
      assert.equal(fields.username, PUBLIC_KEY);
      assert.equal(fields.realm, "MMS Public API");
      assert.equal(fields.nonce, stub.nonces[0]);
      assert.equal(fields.uri, SERVICE_PATH);
      assert.equal(fields.algorithm, "MD5");
      assert.equal(fields.qop, "auth");
      assert.match(fields.cnonce, /^[0-9a-f]{32}$/);
      assert.match(fields.response, /^[0-9a-f]{32}$/);
    });

    it("reuses the nonce with increasing nc", async () => {
      for (let call = 0; call < 3; call++) {
        await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      }

      const authorized = stub.requests.filter((request) => request.authorization !== undefined);
      assert.deepEqual(
        authorized.map((request) => request.authorization?.nc),
        ["00000001", "00000002", "00000003"],
      );
      assert.deepEqual(
        authorized.map((request) => request.authorization?.nonce),
        [stub.nonces[0], stub.nonces[0], stub.nonces[0]],
      );
    });

    it("sends one request per call once authenticated", async () => {
      for (let call = 0; call < 3; call++) {
        await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      }

      assert.equal(stub.requests.length, 4);
    });

    it("authenticates every reused request", async () => {
      for (let call = 0; call < 3; call++) {
        await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      }

      for (const request of stub.requests.slice(1)) {
        assert.equal(request.digestValid, true);
      }
    });

    it("never sends the private key", async () => {
      await client.createEndpointService(PROJECT_ID, "us-east-1");

      for (const request of stub.requests) {
        assert.ok(!JSON.stringify(request.headers).includes(PRIVATE_KEY), "headers do not contain the private key");
        assert.ok(!request.body.includes(PRIVATE_KEY), "body does not contain the private key");
      }
    });

    it("retries once with the new nonce after stale=true", async () => {
      stub.staleAnswers = 1;

      const service = await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.equal(stub.requests.length, 3);
      assert.equal(stub.requests[2].authorization?.nonce, stub.nonces[1]);
      assert.equal(stub.requests[2].authorization?.nc, "00000001");
      assert.equal(stub.requests[2].digestValid, true);
    });

    it("retries stale=true on a reused nonce", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      stub.staleAnswers = 1;

      const service = await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.equal(stub.requests.length, 4);
      assert.equal(stub.requests[3].authorization?.nonce, stub.nonces[1]);
      assert.equal(stub.requests[3].authorization?.nc, "00000001");
    });

    it("retries a plain 401 on a reused nonce", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      stub.revokeNonces();

      const service = await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(service.id, SERVICE_ID);
      assert.equal(stub.requests.length, 4);
      assert.equal(stub.requests[2].authorization?.nonce, stub.nonces[0]);
      assert.equal(stub.requests[3].authorization?.nonce, stub.nonces[1]);
      assert.equal(stub.requests[3].authorization?.nc, "00000001");
    });

    it("reuses the nonce of that retry", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      stub.revokeNonces();
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      await client.getEndpointService(PROJECT_ID, SERVICE_ID);

      assert.equal(stub.requests.length, 5);
      assert.equal(stub.requests[4].authorization?.nonce, stub.nonces[1]);
      assert.equal(stub.requests[4].authorization?.nc, "00000002");
    });

    it("fails on a second plain 401", async () => {
      await client.getEndpointService(PROJECT_ID, SERVICE_ID);
      stub.revokeNonces({ includingLater: true });

      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.statusCode, 401);
      assert.equal(stub.requests.length, 4);
    });

    it("does not retry a final 401", async () => {
      stub.revokeNonces({ includingLater: true });
      client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, log });

      await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.equal(stub.requests.length, 2);
      assert.deepEqual(logLines, []);
    });

    it("gives up after a second stale=true", async () => {
      stub.staleAnswers = 2;

      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.statusCode, 401);
      assert.equal(stub.requests.length, 3);
    });
  });

  context("with a wrong private key", () => {
    const wrongKey = "9b8a7c6d-1e2f-4a3b-8c7d-0e1f2a3b4c5d";

    beforeEach(async () => {
      await startStub();
      client = new AtlasClient({ baseUrl: stub.baseUrl, publicKey: PUBLIC_KEY, privateKey: wrongKey });
    });

    it("rejects with a 401 AtlasApiError", async () => {
      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.statusCode, 401);
      assert.equal(err.errorCode, "UNAUTHORIZED");
    });

    it("sends one Authorization and stops", async () => {
      await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.equal(stub.requests.length, 2);
    });

    it("names the key settings to check", async () => {
      const err = (await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID))) as Error;

      assert.equal(
        err.message,
        `Atlas authentication failed with 401 UNAUTHORIZED for GET ${SERVICE_PATH}: ` +
          "You are not authorized for this resource. " +
          "Check the Atlas API key pair set in mongodbatlas:publicKey and mongodbatlas:privateKey or " +
          "MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY, and the key's project access and IP access list. " +
          "`pulumi refresh` and `pulumi destroy` use the stack config recorded by the last `pulumi up` unless run " +
          "with `--run-program`, so after setting or changing keys in config, run `pulumi up` (or `pulumi refresh " +
          "--run-program`) first. Environment variables take effect at once.",
      );
    });

    it("keeps both keys out of every rendering", async () => {
      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      for (const [form, text] of Object.entries(renderingsOf(err))) {
        assert.ok(!text.includes(wrongKey), `${form} does not contain the private key`);
        assert.ok(!text.includes(PUBLIC_KEY), `${form} does not contain the public key`);
      }
    });
  });

  context("with other digest variants", () => {
    const variants: { name: string; options: Partial<AtlasStubOptions> }[] = [
      { name: "MD5-sess", options: { algorithm: "MD5-sess" } },
      { name: "SHA-256", options: { algorithm: "SHA-256" } },
      { name: "SHA-256-sess", options: { algorithm: "SHA-256-sess" } },
      { name: "no qop", options: { qop: null } },
      { name: "a qop list", options: { qop: "auth-int, auth" } },
      { name: "an opaque value", options: { opaque: "5ccc069c403ebaf9f0171e95" } },
    ];

    for (const variant of variants) {
      it(`authenticates with ${variant.name}`, async () => {
        await startStub(variant.options);

        const service = await client.getEndpointService(PROJECT_ID, SERVICE_ID);

        assert.equal(service.id, SERVICE_ID);
        assert.equal(stub.requests[1].digestValid, true);
      });
    }

    it("rejects an unsupported algorithm with its name", async () => {
      await startStub({ algorithm: "SHA-512-256" });

      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasRequestError);
      assert.equal(
        err.message,
        `GET ${SERVICE_PATH} failed: ` +
          "Atlas requested the digest algorithm SHA-512-256, which this client does not support",
      );
    });

    it("rejects a qop without auth", async () => {
      await startStub({ qop: "auth-int" });

      const err = await rejectionOf(client.getEndpointService(PROJECT_ID, SERVICE_ID));

      assert.ok(err instanceof AtlasRequestError);
      assert.match(err.message, /digest qop "auth-int"/);
    });
  });
});
