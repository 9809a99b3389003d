import type { AtlasApi, InterfaceEndpoint } from "./atlas";
import { atlasStatusCode, isAtlasNotFound } from "./atlasAccess";
import { errorMessage, withContext } from "./errors";
import { mayHaveReachedAtlas } from "./lostResponse";
import type { ProgressLog } from "./progress";
import type { InterfaceLinkIdentity } from "./resourceId";
import { formatInterfaceLinkId } from "./resourceId";

const KIND = "PrivateEndpointInterfaceLink";
const ID_FORMAT = "{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS";
const READ_ONLY_NOTE = "A resource read with get is read-only, so pulumi destroy does not delete the link.";
const MANAGE_ADVICE =
  "To manage the link with this stack, delete it in Atlas (or with the Atlas CLI) and run pulumi up again, or give " +
  "this resource a different interface endpoint.";

/** Options of {@link requestInterfaceLink}. */
export interface LinkRequestOptions {
  /** True to adopt a link that Atlas already has for the same ids, instead of failing on Atlas's 409. */
  adoptExisting: boolean;
}

/**
 * Result of {@link requestInterfaceLink}: the link as Atlas returned it, or why it is unknown whether Atlas created
 * the link.
 */
export type LinkRequestOutcome = { created: true; endpoint: InterfaceEndpoint } | { created: false; unknown: string };

/**
 * Attaches the interface endpoint with a POST. When the POST may have reached Atlas without a usable response, reads
 * the link back, and a link found counts as created. A 404 sends the POST once more, and a 409 to it means the first
 * POST landed after all, so the link is read again. Resolves `created: false` when the reads or the second POST fail
 * in a way that leaves the link's existence unknown. With `adoptExisting`, a 409 to the first POST reads the link, and
 * a link found counts as created. Rejects with a plain Error when this create made no link and adopted none: on a 409
 * to the first POST (the VPC endpoint is already attached), a 404 (no such endpoint service) and other 4xx.
 */
export async function requestInterfaceLink(
  api: AtlasApi,
  identity: InterfaceLinkIdentity,
  progress: ProgressLog,
  options: LinkRequestOptions = { adoptExisting: false },
): Promise<LinkRequestOutcome> {
  const { projectId, privateLinkId, interfaceEndpointId } = identity;
  const post = () => api.createInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);
  const get = () => api.getInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);

  let firstError: unknown;
  try {
    return { created: true, endpoint: await post() };
  } catch (err) {
    if (atlasStatusCode(err) === 409) {
      if (options.adoptExisting) {
        return await adoptAfterConflict(identity, get, err, progress);
      }
      throw await firstConflictError(identity, get, err);
    }
    if (!mayHaveReachedAtlas(err)) {
      throw createRejected(identity, err);
    }
    firstError = err;
  }

  progress.event(`create request got no usable response (${errorMessage(firstError)}), reading the link back`);
  try {
    const endpoint = await get();
    progress.event("found the link, so the create request reached Atlas");
    return { created: true, endpoint };
  } catch (readError) {
    if (!isAtlasNotFound(readError)) {
      return {
        created: false,
        unknown:
          `the create request got no usable response (${errorMessage(firstError)}) and reading the link back ` +
          `failed (${errorMessage(readError)})`,
      };
    }
  }

  progress.event("found no link, sending the create request again");
  try {
    return { created: true, endpoint: await post() };
  } catch (err) {
    if (atlasStatusCode(err) === 409) {
      return await readAfterConflict(identity, get, err, progress);
    }
    if (mayHaveReachedAtlas(err)) {
      return { created: false, unknown: `the create request got no usable response twice: ${errorMessage(err)}` };
    }
    throw createRejected(identity, err);
  }
}

/** Reads the link after a 409 to the second POST, which means the first POST created it after all. */
async function readAfterConflict(
  identity: InterfaceLinkIdentity,
  get: () => Promise<InterfaceEndpoint>,
  conflict: unknown,
  progress: ProgressLog,
): Promise<LinkRequestOutcome> {
  progress.event("the second create request conflicts, so the first one reached Atlas after all: reading the link");
  try {
    return { created: true, endpoint: await get() };
  } catch (readError) {
    if (isAtlasNotFound(readError)) {
      throw attachedElsewhereError(identity, conflict);
    }
    return {
      created: false,
      unknown: `the second create request conflicts and reading the link failed (${errorMessage(readError)})`,
    };
  }
}

/**
 * Reads the link after a 409 to the first POST of a create with adoptExisting. Resolves the link when Atlas has it for
 * these ids. Rejects with a plain Error when the link is not found (the VPC endpoint is attached elsewhere, or the
 * endpoint service is not ready) or cannot be read, because then nothing is known to adopt.
 */
async function adoptAfterConflict(
  identity: InterfaceLinkIdentity,
  get: () => Promise<InterfaceEndpoint>,
  conflict: unknown,
  progress: ProgressLog,
): Promise<LinkRequestOutcome> {
  let endpoint: InterfaceEndpoint;
  try {
    endpoint = await get();
  } catch (readError) {
    if (isAtlasNotFound(readError)) {
      throw attachedElsewhereError(identity, conflict);
    }
    const id = formatInterfaceLinkId(identity);
    throw withContext(
      `Failed to adopt ${KIND} ${id} because Atlas reports that it exists but reading it failed`,
      readError,
      "Nothing was created or recorded; run pulumi up again.",
    );
  }
  progress.event(`found an existing link with connectionStatus ${String(endpoint.connectionStatus)}, adopting it`);
  return { created: true, endpoint };
}

/**
 * Builds the Error for a 409 to the first POST. Reads the link to tell whether the VPC endpoint is attached to this
 * endpoint service or to another one.
 */
async function firstConflictError(
  identity: InterfaceLinkIdentity,
  get: () => Promise<InterfaceEndpoint>,
  conflict: unknown,
): Promise<Error> {
  try {
    await get();
  } catch (readError) {
    if (isAtlasNotFound(readError)) {
      return attachedElsewhereError(identity, conflict);
    }
    // A failed read leaves the usual cause of a 409: the link exists already.
  }
  const { projectId, privateLinkId, interfaceEndpointId } = identity;
  const id = formatInterfaceLinkId(identity);
  return withContext(
    `Failed to create ${KIND} ${id} because VPC endpoint ${interfaceEndpointId} is already attached to endpoint ` +
      `service ${privateLinkId} in project ${projectId}`,
    conflict,
    "To manage the existing link with this stack, set adoptExisting: true on this resource and run pulumi up " +
      `again; pulumi destroy then deletes the link. To only read it, use ${KIND}.get(name, "${id}"), whose id has ` +
      `the form ${ID_FORMAT}. ${READ_ONLY_NOTE}`,
  );
}

/** Builds the Error for a 409 when the VPC endpoint is not attached to this endpoint service. */
function attachedElsewhereError(identity: InterfaceLinkIdentity, conflict: unknown): Error {
  const { projectId, privateLinkId, interfaceEndpointId } = identity;
  return withContext(
    `Failed to create ${KIND} ${formatInterfaceLinkId(identity)} because Atlas reports a conflict although VPC ` +
      `endpoint ${interfaceEndpointId} is not attached to endpoint service ${privateLinkId}`,
    conflict,
    `The VPC endpoint may be attached to another endpoint service of project ${projectId}. To read that link, use ` +
      `${KIND}.get(name, id), whose id has the form ${ID_FORMAT}. ${READ_ONLY_NOTE} ${MANAGE_ADVICE}`,
  );
}

/** Builds the plain Error for a create that Atlas rejected, with advice for a 404. */
function createRejected(identity: InterfaceLinkIdentity, err: unknown): Error {
  const { projectId, privateLinkId } = identity;
  const id = formatInterfaceLinkId(identity);
  if (atlasStatusCode(err) === 404) {
    return withContext(
      `Failed to create ${KIND} ${id} because endpoint service ${privateLinkId} was not found in project ${projectId}`,
      err,
      `Check that privateLinkId is the id of an AWS endpoint service of project ${projectId} (such as ` +
        "PrivateEndpoint.privateLinkId), that the service was not deleted, that projectId names the right project, " +
        "and that mongodbatlas:baseUrl (or MONGODB_ATLAS_BASE_URL) is the Atlas host, such as https://cloud.mongodb.com.",
    );
  }
  return withContext(`Failed to create ${KIND} ${id}`, err);
}
