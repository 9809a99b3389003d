import * as pulumi from "@pulumi/pulumi";
import type { ConfigSource, InterfaceEndpoint } from "../provider/atlas";
import { isAtlasNotFound, openAtlasApi } from "../provider/atlasAccess";
import { withContext } from "../provider/errors";
import { formatInterfaceLinkId } from "../provider/resourceId";
import { checkValues, INTERFACE_LINK_IDENTITY_RULES, validationError } from "../provider/validation";
import type { ConnectionStatus } from "./types";

/** The ids of the link to look up. */
export interface GetPrivateEndpointInterfaceLinkArgs {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: string;
  /** Id of the Atlas AWS endpoint service. */
  privateLinkId: string;
  /** Id of the AWS interface VPC endpoint, such as `vpce-0a1b2c3d4e5f60718`. */
  interfaceEndpointId: string;
}

/** The ids of the link to look up, as inputs that may come from other resources. */
export interface GetPrivateEndpointInterfaceLinkOutputArgs {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: pulumi.Input<string>;
  /** Id of the Atlas AWS endpoint service. */
  privateLinkId: pulumi.Input<string>;
  /** Id of the AWS interface VPC endpoint, such as `vpce-0a1b2c3d4e5f60718`. */
  interfaceEndpointId: pulumi.Input<string>;
}

/** A link as Atlas reports it now. */
export interface GetPrivateEndpointInterfaceLinkResult {
  /** `{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS`, the id `PrivateEndpointInterfaceLink.get` takes. */
  readonly id: string;
  /** Atlas project id, as passed in. */
  readonly projectId: string;
  /** Id of the Atlas AWS endpoint service, as passed in. */
  readonly privateLinkId: string;
  /** Id of the AWS interface VPC endpoint, as passed in. */
  readonly interfaceEndpointId: string;
  /** Null when Atlas reported no status; a status Atlas adds later arrives unchanged. */
  readonly connectionStatus: ConnectionStatus | null;
  /** True once a delete of the link has been requested in Atlas. */
  readonly deleteRequested: boolean;
  /** Null when Atlas reports no error. */
  readonly errorMessage: string | null;
}

// Reads the program's stack config by fully qualified key. runtime.getConfig returns secret values as plain strings
// without the warning that Config.get may print for a secret.
const PROGRAM_CONFIG: ConfigSource = { get: (key) => pulumi.runtime.getConfig(key) };

// The program process has no provider log, so retry lines go to stderr. One function for every lookup, because the
// shared Atlas client is chosen by its log function too.
const PROGRAM_LOG = (line: string): void => console.error(line);

/**
 * Reads a link from Atlas in the program process, because dynamic providers cannot serve invokes. Credentials and the
 * base URL come from the stack config, else the environment, as the provider reads them. A service account token is
 * cached for the whole program. Rejects with a `ValidationError` before any request when an id is invalid, with a
 * `MissingCredentialsError` when no authentication method is complete, and with an Error saying "was not found" when
 * Atlas returns 404.
 */
export async function getPrivateEndpointInterfaceLink(
  args: GetPrivateEndpointInterfaceLinkArgs,
): Promise<GetPrivateEndpointInterfaceLinkResult> {
  const result = await readLink(args);
  if (result.found === undefined) {
    throw withContext(`PrivateEndpointInterfaceLink ${result.id} was not found`, result.notFoundError);
  }
  return result.found;
}

/**
 * Output form of {@link getPrivateEndpointInterfaceLink}: runs the lookup once every argument is known. During
 * preview the result stays unknown while any argument is unknown, with no request sent, and also when Atlas has the
 * endpoint service but not the link yet, because the same update may be about to create it. A missing link is an
 * error otherwise.
 */
export function getPrivateEndpointInterfaceLinkOutput(
  args: GetPrivateEndpointInterfaceLinkOutputArgs,
): pulumi.Output<GetPrivateEndpointInterfaceLinkResult> {
  return pulumi.output(args).apply(async (resolved) => {
    try {
      const result = await readLink(resolved);
      if (result.found !== undefined) {
        return result.found;
      }
      if (pulumi.runtime.isDryRun() && (await endpointServiceExists(resolved))) {
        return pulumi.unknown as unknown as GetPrivateEndpointInterfaceLinkResult;
      }
      throw withContext(
        `PrivateEndpointInterfaceLink ${result.id} was not found`,
        result.notFoundError,
        "If this stack manages the link and it was deleted outside Pulumi, run `pulumi up --refresh` to create it again.",
      );
    } catch (err) {
      throw asRunError(err);
    }
  });
}

/**
 * Returns `err` as a Pulumi RunError with the same name, message and fields. Pulumi reports a RunError thrown inside an
 * apply as a plain error message, where any other error fails the program as an unhandled exception with a stack trace.
 */
function asRunError(err: unknown): Error {
  if (!(err instanceof Error)) {
    return new pulumi.RunError(String(err));
  }
  const runError = Object.assign(new pulumi.RunError(err.message), err);
  Object.defineProperty(runError, "name", { value: err.name, enumerable: false, writable: true, configurable: true });
  return runError;
}

/**
 * Returns true when Atlas has the link's endpoint service. Only the link itself can appear later in the same update,
 * so a preview keeps the lookup unknown only while the service exists.
 */
async function endpointServiceExists(args: GetPrivateEndpointInterfaceLinkArgs): Promise<boolean> {
  const api = openAtlasApi(PROGRAM_CONFIG, undefined, PROGRAM_LOG);
  try {
    await api.getEndpointService(args.projectId, args.privateLinkId);
    return true;
  } catch (err) {
    if (isAtlasNotFound(err)) {
      return false;
    }
    throw withContext(`Failed to read endpoint service ${args.privateLinkId} of project ${args.projectId}`, err);
  }
}

/** The outcome of one lookup: the link, or the 404 error when Atlas does not have it. */
interface LinkReadResult {
  id: string;
  found?: GetPrivateEndpointInterfaceLinkResult;
  notFoundError?: unknown;
}

/** Validates the ids and reads the link; rejects on every error but a 404, which it returns as `notFoundError`. */
async function readLink(args: GetPrivateEndpointInterfaceLinkArgs): Promise<LinkReadResult> {
  const values = (args ?? {}) as unknown as Record<string, unknown>;
  const failures = checkValues(values, INTERFACE_LINK_IDENTITY_RULES, false);
  if (failures.length > 0) {
    throw validationError("Invalid arguments to getPrivateEndpointInterfaceLink", failures);
  }
  const { projectId, privateLinkId, interfaceEndpointId } = args;
  const id = formatInterfaceLinkId({ projectId, privateLinkId, interfaceEndpointId });

  const api = openAtlasApi(PROGRAM_CONFIG, undefined, PROGRAM_LOG);
  let endpoint: InterfaceEndpoint;
  try {
    endpoint = await api.getInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);
  } catch (err) {
    if (isAtlasNotFound(err)) {
      return { id, notFoundError: err };
    }
    throw withContext(`Failed to read PrivateEndpointInterfaceLink ${id}`, err);
  }

  const found: GetPrivateEndpointInterfaceLinkResult = {
    id,
    projectId,
    privateLinkId,
    interfaceEndpointId,
    connectionStatus:
      typeof endpoint.connectionStatus === "string" ? (endpoint.connectionStatus as ConnectionStatus) : null,
    deleteRequested: endpoint.deleteRequested === true,
    errorMessage:
      typeof endpoint.errorMessage === "string" && endpoint.errorMessage !== "" ? endpoint.errorMessage : null,
  };
  return { id, found };
}
