import type { AtlasApi, EndpointService } from "./atlas";
import { atlasStatusCode } from "./atlasAccess";
import { errorMessage, withContext } from "./errors";
import { mayHaveReachedAtlas } from "./lostResponse";
import type { ProgressLog } from "./progress";
import { formatPrivateEndpointId } from "./resourceId";
import { PRIVATE_LINK_ID_RULE } from "./validation";

const KIND = "PrivateEndpoint";
const ID_FORMAT = "{projectId}--{privateLinkId}--AWS--{region}";
const READ_ONLY_NOTE = "A resource read with get is read-only, so pulumi destroy does not delete the service.";
const MAY_EXIST_ADVICE =
  "Atlas may have created the service. If it did, delete it in Atlas (or with the Atlas CLI) before running pulumi " +
  `up again, so that this stack creates and manages it. To only read it, use ${KIND}.get(name, id), whose id has ` +
  `the form ${ID_FORMAT}. ${READ_ONLY_NOTE}`;

/**
 * Creates the project's AWS endpoint service in `region` with a POST. When the POST may have reached Atlas without a
 * usable response, lists the project's services, and a service in the region counts as created. With none, sends the
 * POST once more, and a 409 to it means the first POST landed after all, so the list is read again. Rejects with a
 * plain Error (there is no service id to track) when Atlas rejects the POST, when the listing fails, and on a 409 to
 * the first POST, with advice on reading or replacing the existing service.
 */
export async function requestEndpointService(
  api: AtlasApi,
  projectId: string,
  region: string,
  progress: ProgressLog,
): Promise<EndpointService> {
  const subject = `${KIND} for project ${projectId} in ${region}`;
  const post = async () => checkServiceId(await api.createEndpointService(projectId, region), subject);

  let firstError: unknown;
  try {
    return await post();
  } catch (err) {
    if (atlasStatusCode(err) === 409) {
      throw await regionTakenError(api, projectId, region, err);
    }
    if (!mayHaveReachedAtlas(err)) {
      throw withContext(`Failed to create ${subject}`, err);
    }
    firstError = err;
  }

  progress.event(`create request got no usable response (${errorMessage(firstError)}), listing the project's services`);
  const found = await listServiceInRegion(api, projectId, region, subject, firstError);
  if (found !== undefined) {
    progress.event(`found endpoint service ${found.id} in ${region}, so the create request reached Atlas`);
    return found;
  }

  progress.event(`found no endpoint service in ${region}, sending the create request again`);
  try {
    return await post();
  } catch (err) {
    if (atlasStatusCode(err) !== 409) {
      const advice = mayHaveReachedAtlas(err) ? MAY_EXIST_ADVICE : undefined;
      throw withContext(`Failed to create ${subject} after a create request got no usable response`, err, advice);
    }
    progress.event("the second create request conflicts, so the first one reached Atlas after all: listing again");
    const landed = await listServiceInRegion(api, projectId, region, subject, err);
    if (landed === undefined) {
      throw await regionTakenError(api, projectId, region, err);
    }
    return landed;
  }
}

function checkServiceId(service: EndpointService, subject: string): EndpointService {
  if (typeof service.id !== "string" || service.id === "") {
    throw new Error(`Failed to create ${subject}: Atlas returned no service id.`);
  }
  return service;
}

/**
 * Lists the project's AWS endpoint services and returns the one in `region`, or undefined when there is none. Rejects
 * when the listing fails, saying that Atlas may hold a service this create made, because `cause` left it unknown.
 */
async function listServiceInRegion(
  api: AtlasApi,
  projectId: string,
  region: string,
  subject: string,
  cause: unknown,
): Promise<EndpointService | undefined> {
  let services: EndpointService[];
  try {
    services = await api.listEndpointServices(projectId);
  } catch (err) {
    throw withContext(
      `Failed to create ${subject}: the create request failed (${errorMessage(cause)}) and listing the project's ` +
        "endpoint services failed as well",
      err,
      MAY_EXIST_ADVICE,
    );
  }
  const regionName = atlasRegionName(region);
  return services.find((service) => service.regionName === regionName && typeof service.id === "string");
}

/** Builds the Error for a 409 to the first POST, naming the existing service's id when a listing finds it. */
async function regionTakenError(api: AtlasApi, projectId: string, region: string, conflict: unknown): Promise<Error> {
  let existingId: string | undefined;
  try {
    const services = await api.listEndpointServices(projectId);
    existingId = services.find((service) => service.regionName === atlasRegionName(region))?.id;
  } catch {
    // The listing only improves the advice, so the conflict is what the create reports.
  }
  const id = formatPrivateEndpointId({
    projectId,
    privateLinkId: existingId ?? PRIVATE_LINK_ID_RULE.example,
    region,
  });
  const example = existingId === undefined ? `, e.g. "${id}" with the existing service's id as privateLinkId` : "";
  const call = existingId === undefined ? `${KIND}.get(name, id)` : `${KIND}.get(name, "${id}")`;
  return withContext(
    `Failed to create ${KIND} for project ${projectId} in ${region} because the project already has an AWS ` +
      "endpoint service in that region",
    conflict,
    `Atlas allows one per region in a project. To read the existing one, use ${call}, whose id has the form ` +
      `${ID_FORMAT}${example}. ${READ_ONLY_NOTE} To manage the service with this stack, delete it in Atlas (or with ` +
      "the Atlas CLI) and run pulumi up again, or choose a different region.",
  );
}

/** Converts an AWS region name such as `us-east-1` to the Atlas form `US_EAST_1` that services report. */
function atlasRegionName(region: string): string {
  return region.toUpperCase().replace(/-/g, "_");
}
