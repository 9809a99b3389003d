import * as assert from "node:assert/strict";

import { AtlasApiError, AtlasRequestError, isAtlasApiError, isNotFoundError } from "../../../provider/atlas";

const PATH = "/api/atlas/v2/groups/5f1a2b3c4d5e6f7a8b9c0d1e/privateEndpoint/AWS/endpointService";
const CONFIG_CHANGE_NOTE =
  "`pulumi refresh` and `pulumi destroy` use the stack config recorded by the last `pulumi up` unless run with " +
  "`--run-program`, so after setting or changing keys in config, run `pulumi up` (or `pulumi refresh " +
  "--run-program`) first. Environment variables take effect at once.";

function apiError(statusCode: number, body: string): AtlasApiError {
  return new AtlasApiError({ method: "GET", path: PATH, statusCode, body });
}

describe("AtlasApiError", () => {
  it("uses the reason when the body has no detail", () => {
    const err = apiError(404, JSON.stringify({ error: 404, errorCode: "RESOURCE_NOT_FOUND", reason: "Not Found" }));

    assert.equal(err.message, `Atlas returned 404 RESOURCE_NOT_FOUND for GET ${PATH}: Not Found`);
  });

  it("ends the message after the code when the body has no text", () => {
    const err = apiError(409, JSON.stringify({ error: 409, errorCode: "DUPLICATE" }));

    assert.equal(err.message, `Atlas returned 409 DUPLICATE for GET ${PATH}`);
  });

  it("quotes a JSON body that is not an object", () => {
    const err = apiError(500, '["unexpected"]');

    assert.equal(err.message, `Atlas returned 500 for GET ${PATH}: ["unexpected"]`);
  });

  it("ignores fields of the wrong type", () => {
    const err = apiError(400, JSON.stringify({ detail: 7, errorCode: ["X"], parameters: "groupId" }));

    assert.equal(err.detail, undefined);
    assert.equal(err.errorCode, undefined);
    assert.equal(err.parameters, undefined);
  });

  it("adds the key hint to a 401 with an empty body", () => {
    const err = apiError(401, "");

    assert.match(
      err.message,
      /^Atlas authentication failed with 401 for GET \S+ with an empty body\. Check the Atlas API key pair/,
    );
  });

  it("starts a 403 message with the denial", () => {
    const err = apiError(403, JSON.stringify({ error: 403, errorCode: "ACCESS_FORBIDDEN", detail: "No access." }));

    assert.equal(
      err.message,
      `Atlas denied access with 403 ACCESS_FORBIDDEN for GET ${PATH}: No access. Check the Atlas API key pair set in ` +
        "mongodbatlas:publicKey and mongodbatlas:privateKey or MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY, " +
        `and the key's project access and IP access list. ${CONFIG_CHANGE_NOTE}`,
    );
  });

  it("ends a 401 message with when key changes take effect", () => {
    const err = apiError(401, JSON.stringify({ error: 401, errorCode: "UNAUTHORIZED", detail: "Not authorized." }));

    assert.ok(err.message.endsWith(`IP access list. ${CONFIG_CHANGE_NOTE}`), err.message);
  });

  it("states the wait of a 429 once", () => {
    const body = JSON.stringify({ error: 429, errorCode: "RATE_LIMITED", detail: "Please retry after 2 seconds." });

    const err = new AtlasApiError({ method: "GET", path: PATH, statusCode: 429, body, retryAfterSeconds: 2 });

    assert.equal(err.message, `Atlas returned 429 RATE_LIMITED for GET ${PATH}: Please retry after 2 seconds.`);
  });

  it("adds a Retry-After wait the detail does not state", () => {
    const body = JSON.stringify({ error: 429, errorCode: "RATE_LIMITED", detail: "Please retry after 55 seconds." });

    const err = new AtlasApiError({ method: "GET", path: PATH, statusCode: 429, body, retryAfterSeconds: 7 });

    assert.ok(err.message.endsWith("Please retry after 55 seconds. Retry after 7 s."), err.message);
  });

  it("adds the Retry-After wait to a detail without one", () => {
    const body = JSON.stringify({ error: 503, errorCode: "SERVICE_UNAVAILABLE", detail: "Service unavailable." });

    const err = new AtlasApiError({ method: "GET", path: PATH, statusCode: 503, body, retryAfterSeconds: 2 });

    assert.ok(err.message.endsWith("Service unavailable. Retry after 2 s."), err.message);
  });

  it("reads the wait of a 429 from the detail text", () => {
    const err = apiError(429, JSON.stringify({ error: 429, detail: "Please retry after 55 seconds." }));

    assert.equal(err.retryAfterSeconds, 55);
  });

  it("ignores a retry text in a 400 detail", () => {
    const err = apiError(400, JSON.stringify({ error: 400, detail: "Please retry after 55 seconds." }));

    assert.equal(err.retryAfterSeconds, undefined);
  });

  it("prefers the Retry-After header to the detail text", () => {
    const body = JSON.stringify({ error: 503, detail: "Please retry after 55 seconds." });

    const err = new AtlasApiError({ method: "GET", path: PATH, statusCode: 503, body, retryAfterSeconds: 7 });

    assert.equal(err.retryAfterSeconds, 7);
  });

  it("ends with the retry note in place of the Retry-After", () => {
    const body = JSON.stringify({ error: 429, errorCode: "RATE_LIMITED_TOKEN_BUCKET", detail: "Slow down." });

    const err = new AtlasApiError({
      method: "GET",
      path: PATH,
      statusCode: 429,
      body,
      retryAfterSeconds: 9,
      attempts: 5,
      retryNote: "Gave up after 5 attempts over 40.0s.",
    });

    assert.equal(
      err.message,
      `Atlas returned 429 RATE_LIMITED_TOKEN_BUCKET for GET ${PATH}: Slow down. Gave up after 5 attempts over 40.0s.`,
    );
    assert.equal(err.attempts, 5);
  });

  it("counts one attempt by default", () => {
    assert.equal(apiError(500, "").attempts, 1);
  });

  it("is named AtlasApiError", () => {
    assert.equal(apiError(404, "").name, "AtlasApiError");
  });
});

describe("isNotFoundError", () => {
  it("is true for a 404 with any code", () => {
    const err = apiError(404, JSON.stringify({ error: 404, errorCode: "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND" }));

    assert.equal(isNotFoundError(err), true);
  });

  it("is true for a 404 without a body", () => {
    assert.equal(isNotFoundError(apiError(404, "")), true);
  });

  it("is false for a not-found code on another status", () => {
    const err = apiError(400, JSON.stringify({ error: 400, errorCode: "RESOURCE_NOT_FOUND" }));

    assert.equal(isNotFoundError(err), false);
  });

  it("is false for a plain error with statusCode 404", () => {
    const err = Object.assign(new Error("gone"), { statusCode: 404 });

    assert.equal(isNotFoundError(err), false);
  });

  it("is false for a request error", () => {
    const err = new AtlasRequestError({ method: "GET", path: PATH, failure: "connect ECONNREFUSED 127.0.0.1:1" });

    assert.equal(isNotFoundError(err), false);
  });

  for (const value of [undefined, null, "404", 404]) {
    it(`is false for ${typeof value === "string" ? `the string "${value}"` : String(value)}`, () => {
      assert.equal(isNotFoundError(value), false);
    });
  }
});

describe("isAtlasApiError", () => {
  it("matches an error built by another copy of the class", () => {
    // Simulates a second copy of this package: a different class carrying the same registered brand.
    const foreign = Object.assign(new Error("x"), { statusCode: 404 });
    const brand = Object.getOwnPropertySymbols(apiError(404, "")).find(
      (symbol) => symbol.description === "pulumi-atlas-privatelink.AtlasApiError",
    );
    assert.ok(brand, "AtlasApiError carries a registered brand symbol");
    Object.defineProperty(foreign, brand, { value: true });

    assert.equal(isAtlasApiError(foreign), true);
  });

  it("does not match a plain error", () => {
    assert.equal(isAtlasApiError(new Error("x")), false);
  });
});

describe("AtlasRequestError", () => {
  it("states method, path and failure", () => {
    const err = new AtlasRequestError({
      method: "DELETE",
      path: PATH,
      failure: "timed out after 100 ms",
      timedOut: true,
    });

    assert.equal(err.message, `DELETE ${PATH} failed: timed out after 100 ms`);
    assert.equal(err.timedOut, true);
  });

  it("appends the retry note", () => {
    const err = new AtlasRequestError({
      method: "GET",
      path: PATH,
      failure: "connect ECONNREFUSED 127.0.0.1:1",
      attempts: 3,
      retryNote: "Gave up after 3 attempts over 2.0s.",
    });

    assert.equal(
      err.message,
      `GET ${PATH} failed: connect ECONNREFUSED 127.0.0.1:1. Gave up after 3 attempts over 2.0s.`,
    );
    assert.equal(err.attempts, 3);
  });

  it("keeps the cause", () => {
    const cause = new Error("socket hang up");

    const err = new AtlasRequestError({ method: "GET", path: PATH, failure: cause.message, cause });

    assert.equal(err.cause, cause);
  });
});
