import type { AtlasApi } from "./atlas";
import { atlasRetryDelayMs, atlasStatusCode, isAtlasNotFound } from "./atlasAccess";
import { errorMessage, withContext } from "./errors";

// A base URL with a wrong path, or a wrong project id, turns every request into a 404 that looks like a deleted
// object. Acting on such a 404 would drop live resources from the state on refresh and report them deleted on
// destroy, so every conclusion "gone" first checks that a request about the project itself succeeds.

/** The object Atlas returned 404 for, as {@link confirmNotFound} checks and names it. */
export interface NotFoundTarget {
  api: AtlasApi;
  /** Project of the object, whose endpoint services are listed to confirm the 404. */
  projectId: string;
  /** Resource kind and id for messages, such as `PrivateEndpointInterfaceLink 5f…--AWS`. */
  subject: string;
  /** The object in words for messages, in lowercase, such as `the link`. */
  object: string;
}

/** Error of {@link confirmNotFound}: a 404 that the listing of the project's endpoint services failed to confirm. */
export interface UnconfirmedNotFoundError extends Error {
  name: "UnconfirmedNotFoundError";
  /** The error of the listing. */
  listingError: unknown;
}

const UNCONFIRMED_NOT_FOUND = "UnconfirmedNotFoundError" as const;

/**
 * Confirms that a 404 for `target` means the object is gone by listing the project's endpoint services, one request.
 * Resolves when the listing succeeds. Rejects with an {@link UnconfirmedNotFoundError} when it fails, whose message
 * names the subject, the listing's error and what to check, so that the caller keeps the resource in the state.
 */
export async function confirmNotFound(target: NotFoundTarget): Promise<void> {
  try {
    await target.api.listEndpointServices(target.projectId);
  } catch (err) {
    throw unconfirmedNotFound(target, err);
  }
}

/** Returns true for an error built by {@link confirmNotFound}. */
export function isUnconfirmedNotFound(err: unknown): err is UnconfirmedNotFoundError {
  return err instanceof Error && err.name === UNCONFIRMED_NOT_FOUND;
}

/**
 * Decides like {@link atlasRetryDelayMs} whether a poll that failed is retried, except that an
 * {@link UnconfirmedNotFoundError} is judged by its listing's error: a listing that failed with 503 is polled again,
 * and one that returned 404 ends the wait.
 */
export function pollRetryDelayMs(err: unknown): number | undefined {
  return atlasRetryDelayMs(isUnconfirmedNotFound(err) ? err.listingError : err);
}

function unconfirmedNotFound(target: NotFoundTarget, listingError: unknown): UnconfirmedNotFoundError {
  const keptSentence = `${target.object.charAt(0).toUpperCase()}${target.object.slice(1)} is kept in the state.`;
  const advice =
    atlasStatusCode(listingError) === 404
      ? "Check mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL (it must be the Atlas host, such as " +
        `https://cloud.mongodb.com, without a path such as /api/atlas/v2) and projectId ${target.projectId}. ` +
        "pulumi refresh and pulumi destroy use the stack config recorded by the last pulumi up, so after fixing " +
        "stack config run pulumi up (or pulumi refresh --run-program) first. If the project was deleted, remove the " +
        "resource with pulumi state delete <URN>, and list the URNs with pulumi stack --show-urns."
      : "Run the command again once the listing succeeds.";
  const message =
    `${target.subject}: Atlas returned 404 for ${target.object}, and listing the project's endpoint services ` +
    `failed too (${errorMessage(listingError)}). ${keptSentence} ${advice}`;
  return Object.assign(new Error(message, { cause: listingError }), {
    name: UNCONFIRMED_NOT_FOUND,
    listingError,
  });
}

/**
 * Settles a read of `target` for refresh or `.get` that failed with `err`. Returns only when Atlas returned 404, the
 * listing confirms it and the read had the stored ids (`fromGet` false), so the caller drops the resource from the
 * state. Throws in every other case. Writes one progress line either way through `event`.
 */
export async function settleFailedRead(
  target: NotFoundTarget,
  err: unknown,
  options: { fromGet: boolean; event: (line: string) => void },
): Promise<void> {
  if (!isAtlasNotFound(err)) {
    const failure = withContext(`Failed to read ${target.subject}`, err);
    options.event(`read failed: ${failure.message}`);
    throw failure;
  }
  try {
    await confirmNotFound(target);
  } catch (unconfirmed) {
    options.event(`read failed: ${errorMessage(unconfirmed)}`);
    throw unconfirmed;
  }
  if (options.fromGet) {
    // A read without stored ids comes from .get, which must name an object that exists.
    const failure = withContext(`${target.subject} was not found in Atlas, so .get cannot read it`, err);
    options.event(`read failed: ${failure.message}`);
    throw failure;
  }
  options.event("was not found in Atlas, so it leaves the stack state");
}
