import * as assert from "node:assert/strict";

import { DigestSession, digestChallengeOf } from "../../../provider/atlas/digest";
import type { DigestChallenge } from "../../../provider/atlas/digest";
import { parseDigestFields } from "./support/atlasStub";
import { PRIVATE_KEY, PUBLIC_KEY } from "./support/fixtures";

const TARGET = "/api/atlas/v2/groups/5f1a2b3c4d5e6f7a8b9c0d1e/privateEndpoint/AWS/endpointService";

function challenge(nonce: string, stale = false): DigestChallenge {
  return { params: { realm: "MMS Public API", nonce, algorithm: "MD5", qop: "auth" }, stale };
}

function fieldsOf(header: string | undefined): Record<string, string> {
  assert.ok(header !== undefined, "a header was built");
  assert.ok(header.startsWith("Digest "), "the header is a Digest authorization");
  return parseDigestFields(header.slice("Digest ".length));
}

describe("DigestSession", () => {
  let session: DigestSession;

  beforeEach(() => {
    session = new DigestSession(PUBLIC_KEY, PRIVATE_KEY);
  });

  it("has no nonce to reuse at first", () => {
    assert.equal(session.reuse("GET", TARGET), undefined);
  });

  it("responds to a challenge with nc 00000001", () => {
    const credentials = session.respond(challenge("n1"), "GET", TARGET);

    assert.equal(fieldsOf(credentials.header).nc, "00000001");
    assert.equal(credentials.reused, false);
  });

  it("keeps an unconfirmed nonce to its request", () => {
    session.respond(challenge("n1"), "GET", TARGET);

    assert.equal(session.reuse("GET", TARGET), undefined);
  });

  it("reuses a confirmed nonce with the next nc", () => {
    session.confirm(session.respond(challenge("n1"), "GET", TARGET));

    const fields = [session.reuse("GET", TARGET), session.reuse("DELETE", TARGET)].map((c) => fieldsOf(c?.header));

    assert.deepEqual(
      fields.map((field) => [field.nonce, field.nc]),
      [
        ["n1", "00000002"],
        ["n1", "00000003"],
      ],
    );
  });

  it("marks reused credentials", () => {
    session.confirm(session.respond(challenge("n1"), "GET", TARGET));

    assert.equal(session.reuse("GET", TARGET)?.reused, true);
  });

  it("keeps the shared nonce while a new one is unconfirmed", () => {
    session.confirm(session.respond(challenge("n1"), "GET", TARGET));
    session.respond(challenge("n2"), "GET", TARGET);

    assert.equal(fieldsOf(session.reuse("GET", TARGET)?.header).nonce, "n1");
  });

  it("starts a newly confirmed nonce after nc 00000001", () => {
    session.confirm(session.respond(challenge("n1"), "GET", TARGET));
    session.reuse("GET", TARGET);
    session.confirm(session.respond(challenge("n2"), "GET", TARGET));

    const fields = fieldsOf(session.reuse("GET", TARGET)?.header);

    assert.deepEqual([fields.nonce, fields.nc], ["n2", "00000002"]);
  });

  it("writes nc in hex", () => {
    session.confirm(session.respond(challenge("n1"), "GET", TARGET));
    for (let count = 2; count < 16; count++) {
      session.reuse("GET", TARGET);
    }

    assert.equal(fieldsOf(session.reuse("GET", TARGET)?.header).nc, "00000010");
  });

  it("keeps the private key out of the header", () => {
    const credentials = session.respond(challenge("n1"), "GET", TARGET);

    assert.ok(!credentials.header.includes(PRIVATE_KEY), "the header does not contain the private key");
  });
});

describe("digestChallengeOf", () => {
  const header = 'Digest realm="MMS Public API", domain="", nonce="abc+/=", algorithm=MD5, qop="auth", stale=false';

  it("reads the challenge of a 401", () => {
    const parsed = digestChallengeOf(401, { "www-authenticate": header });

    assert.equal(parsed?.params.nonce, "abc+/=");
    assert.equal(parsed?.stale, false);
  });

  it("reads stale=true", () => {
    const parsed = digestChallengeOf(401, { "www-authenticate": header.replace("stale=false", "stale=TRUE") });

    assert.equal(parsed?.stale, true);
  });

  it("finds Digest among several challenges", () => {
    const parsed = digestChallengeOf(401, { "www-authenticate": ['Basic realm="x"', header] });

    assert.equal(parsed?.params.realm, "MMS Public API");
  });

  it("ignores a challenge on another status", () => {
    assert.equal(digestChallengeOf(403, { "www-authenticate": header }), undefined);
  });

  it("ignores a 401 without a challenge", () => {
    assert.equal(digestChallengeOf(401, {}), undefined);
  });
});
