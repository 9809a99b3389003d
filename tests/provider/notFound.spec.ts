import assert from "node:assert/strict";
import { AtlasRequestError } from "../../provider/atlas";
import { confirmNotFound, isUnconfirmedNotFound, pollRetryDelayMs } from "../../provider/notFound";
import type { NotFoundTarget } from "../../provider/notFound";
import { rejectionOf } from "./support/assertions";
import { atlasError, IDS, listingNotFound, service, stubAtlasApi } from "./support/fakeAtlas";

const SUBJECT = `PrivateEndpointInterfaceLink ${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`;

function target(): NotFoundTarget & { api: ReturnType<typeof stubAtlasApi> } {
  return { api: stubAtlasApi(), projectId: IDS.projectId, subject: SUBJECT, object: "the link" };
}

describe("confirmNotFound", () => {
  it("resolves when the listing succeeds", async () => {
    const confirmed = target();
    confirmed.api.listEndpointServices.resolves([service(IDS.privateLinkId, "AVAILABLE", null)]);

    await confirmNotFound(confirmed);

    assert.deepEqual(confirmed.api.listEndpointServices.args, [[IDS.projectId]]);
  });

  it("explains a listing that returns 404", async () => {
    const unconfirmed = target();
    unconfirmed.api.listEndpointServices.rejects(listingNotFound());

    const err = await rejectionOf(confirmNotFound(unconfirmed));

    assert.equal(
      err.message,
      `${SUBJECT}: Atlas returned 404 for the link, and listing the project's endpoint services failed too ` +
        `(${listingNotFound().message}). The link is kept in the state. Check mongodbatlas:baseUrl or ` +
        "MONGODB_ATLAS_BASE_URL (it must be the Atlas host, such as https://cloud.mongodb.com, without a path such " +
        `as /api/atlas/v2) and projectId ${IDS.projectId}. pulumi refresh and pulumi destroy use the stack config ` +
        "recorded by the last pulumi up, so after fixing stack config run pulumi up (or pulumi refresh " +
        "--run-program) first. If the project was deleted, remove the resource with pulumi state delete <URN>, and " +
        "list the URNs with pulumi stack --show-urns.",
    );
  });

  it("asks for another run after a listing that fails otherwise", async () => {
    const unconfirmed = target();
    unconfirmed.api.listEndpointServices.rejects(atlasError(500, "UNEXPECTED_ERROR", "boom"));

    const err = await rejectionOf(confirmNotFound(unconfirmed));

    assert.ok(err.message.endsWith("The link is kept in the state. Run the command again once the listing succeeds."));
  });

  it("keeps the listing error", async () => {
    const unconfirmed = target();
    const listingError = listingNotFound();
    unconfirmed.api.listEndpointServices.rejects(listingError);

    const err = await rejectionOf(confirmNotFound(unconfirmed));

    assert.equal((err as { listingError?: unknown }).listingError, listingError);
  });

  it("rejects with an error that isUnconfirmedNotFound matches", async () => {
    const unconfirmed = target();
    unconfirmed.api.listEndpointServices.rejects(listingNotFound());

    const err = await rejectionOf(confirmNotFound(unconfirmed));

    assert.equal(isUnconfirmedNotFound(err), true);
  });
});

describe("isUnconfirmedNotFound", () => {
  it("does not match an Atlas 404", () => {
    assert.equal(isUnconfirmedNotFound(listingNotFound()), false);
  });
});

describe("pollRetryDelayMs", () => {
  async function unconfirmedBy(listingError: Error): Promise<Error> {
    const unconfirmed = target();
    unconfirmed.api.listEndpointServices.rejects(listingError);
    return await rejectionOf(confirmNotFound(unconfirmed));
  }

  it("ends the wait when the listing returned 404", async () => {
    assert.equal(pollRetryDelayMs(await unconfirmedBy(listingNotFound())), undefined);
  });

  it("polls again when the listing returned 503", async () => {
    assert.equal(pollRetryDelayMs(await unconfirmedBy(atlasError(503, "SERVICE_UNAVAILABLE", "down"))), 0);
  });

  it("polls again when the listing got no response", async () => {
    const lost = new AtlasRequestError({ method: "GET", path: "/x", failure: "socket hang up" });

    assert.equal(pollRetryDelayMs(await unconfirmedBy(lost)), 0);
  });

  it("judges other errors like atlasRetryDelayMs", () => {
    assert.equal(pollRetryDelayMs(atlasError(403, "ACCESS_FORBIDDEN", "no access")), undefined);
  });
});
