import type { dynamic } from "@pulumi/pulumi";
import type { AtlasApi, ConfigSource, InterfaceEndpoint } from "./atlas";
import { atlasRetryDelayMs, atlasStatusCode, isAtlasNotFound, openAtlasApi } from "./atlasAccess";
import { deleteAndWaitUntilGone } from "./deletion";
import { errorMessage, isResourceInitError, resourceInitError, withContext } from "./errors";
import { pollUntil } from "./polling";
import { ProgressLog } from "./progress";
import type { ProviderOptions, ProviderRuntime } from "./providerOptions";
import { providerRuntime } from "./providerOptions";
import type { InterfaceLinkIdentity } from "./resourceId";
import { formatInterfaceLinkId, parseInterfaceLinkId } from "./resourceId";
import type { ResolvedTimeouts, Timeouts } from "./timeouts";
import { checkTimeouts, formatDuration, normalizeTimeouts, resolveTimeouts, sameTimeouts } from "./timeouts";
import { isUnknown } from "./unknown";
import { checkValues, INTERFACE_LINK_IDENTITY_RULES } from "./validation";

/** Inputs of a PrivateEndpointInterfaceLink as the engine passes them to the provider. */
export interface InterfaceLinkInputs extends InterfaceLinkIdentity {
  timeouts?: Timeouts;
}

/** Outputs of a PrivateEndpointInterfaceLink: the inputs and the link's state as Atlas last reported it. */
export interface InterfaceLinkOutputs extends InterfaceLinkInputs {
  /** Atlas's `connectionStatus`, null when Atlas reported none. */
  connectionStatus: string | null;
  deleteRequested: boolean;
  /** Atlas's `errorMessage`, null when Atlas reports no error. */
  errorMessage: string | null;
}

/**
 * Default waits for a link: 2 hours for a create, because the AWS side must accept the connection and AWS then
 * establishes it, and 1 hour for a delete.
 */
export const INTERFACE_LINK_DEFAULT_TIMEOUTS: ResolvedTimeouts = {
  createMs: 2 * 60 * 60 * 1000,
  deleteMs: 60 * 60 * 1000,
};

const KIND = "PrivateEndpointInterfaceLink";
const IDENTITY_KEYS = ["projectId", "privateLinkId", "interfaceEndpointId"] as const;
const READY_STATUS = "AVAILABLE";

/**
 * Meaning of each status in which a link waits. A status missing here also counts as waiting rather than failed,
 * because Atlas has been seen to report undocumented transient statuses. Failing on them would abandon a link that
 * may still become AVAILABLE, and the create timeout bounds the wait either way.
 */
const WAITING_STATUS_MEANINGS: Record<string, string> = {
  NONE: "which waits for AWS to create the VPC endpoint",
  PENDING_ACCEPTANCE:
    "which waits for the AWS side to accept the connection request (check the interface VPC endpoint in AWS)",
  PENDING: "which waits for AWS to establish the connection",
  DELETING: "which means Atlas is removing the interface endpoint",
};

const TRACKED_HINT = "The link stays in the stack state: the next pulumi up replaces it and pulumi destroy deletes it.";

/**
 * Pulumi dynamic provider for the link between an Atlas AWS endpoint service and an AWS interface VPC endpoint.
 * Credentials come from the stack config given to `configure`, else from the environment, and are resolved inside
 * each method that calls Atlas, so the instance contains none when it is serialized.
 */
export class PrivateEndpointInterfaceLinkProvider implements dynamic.ResourceProvider<
  InterfaceLinkInputs,
  InterfaceLinkOutputs
> {
  private readonly options: ProviderOptions;
  private config: ConfigSource | undefined;

  /** Creates a provider; `options` overrides the Atlas client, the polling schedule, the clock or the log for tests. */
  constructor(options: ProviderOptions = {}) {
    this.options = options;
    this.config = undefined;
  }

  /** Keeps the stack config for credential lookups in later calls; reads nothing from it yet. */
  configure(req: dynamic.ConfigureRequest): Promise<void> {
    this.config = req.config;
    return Promise.resolve();
  }

  /**
   * Validates the ids and timeouts; values unknown during preview pass. Returns the known input properties and one
   * failure per invalid property. Calls no API.
   */
  check(_olds: InterfaceLinkInputs, news: InterfaceLinkInputs): Promise<dynamic.CheckResult<InterfaceLinkInputs>> {
    const values = news as unknown as Record<string, unknown>;
    const failures = [...checkValues(values, INTERFACE_LINK_IDENTITY_RULES, true), ...checkTimeouts(values.timeouts)];
    const inputs: Record<string, unknown> = {};
    for (const key of IDENTITY_KEYS) {
      if (values[key] !== undefined) {
        inputs[key] = values[key];
      }
    }
    const timeouts = normalizeTimeouts(values.timeouts);
    if (timeouts !== undefined) {
      inputs.timeouts = timeouts;
    }
    return Promise.resolve({ inputs: inputs as unknown as InterfaceLinkInputs, failures });
  }

  /**
   * Compares old outputs with new inputs, ignoring `__provider`. A changed or unknown id replaces the link, and so
   * does an old link that never became usable. A change of timeouts alone is an update. Deletes before replacing
   * when the interface endpoint id stays the same or is unknown, because a VPC endpoint connects to one endpoint
   * service at a time and Atlas rejects a second link to the same VPC endpoint.
   */
  diff(_id: string, olds: InterfaceLinkOutputs, news: InterfaceLinkInputs): Promise<dynamic.DiffResult> {
    const replaces: string[] = IDENTITY_KEYS.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]);
    if (replaces.length === 0) {
      replaces.push(...unusableOutputKeys(olds));
    }
    const replacing = replaces.length > 0;
    const timeoutsChanged = !sameTimeouts(olds.timeouts, news.timeouts, INTERFACE_LINK_DEFAULT_TIMEOUTS);
    const keepsEndpoint = isUnknown(news.interfaceEndpointId) || news.interfaceEndpointId === olds.interfaceEndpointId;
    return Promise.resolve({
      changes: replacing || timeoutsChanged,
      replaces,
      deleteBeforeReplace: replacing && keepsEndpoint,
    });
  }

  /**
   * Attaches the interface endpoint and polls until Atlas reports AVAILABLE, within `timeouts.create` (default 2 h).
   * Rejects with a plain Error when Atlas created nothing. Once the link exists, a REJECTED status, an Atlas error
   * message, a failed read or the timeout reject with an error that carries `id`, `properties` (the outputs so far)
   * and `reasons`. Pulumi records it as a partial failure and keeps the link in the stack state.
   */
  async create(inputs: InterfaceLinkInputs): Promise<dynamic.CreateResult<InterfaceLinkOutputs>> {
    const identity = pickIdentity(inputs);
    const id = formatInterfaceLinkId(identity);
    const timeoutMs = resolveTimeouts(inputs.timeouts, INTERFACE_LINK_DEFAULT_TIMEOUTS).createMs;
    const runtime = providerRuntime(this.options);
    const startMs = runtime.clock.now();
    const progress = linkProgress(identity, startMs, runtime);
    const api = this.openApi();

    progress.event(`creating, waiting up to ${formatDuration(timeoutMs)} for ${READY_STATUS}`);
    const created = await postLink(api, identity, id, progress);
    let outputs = linkOutputs(inputs, created);
    const initError = (problem: string) =>
      resourceInitError(id, outputs, inputs, `${KIND} ${id} ${problem} ${TRACKED_HINT}`);
    const elapsed = () => formatDuration(runtime.clock.now() - startMs);

    try {
      const evaluate = (endpoint: InterfaceEndpoint): boolean => {
        outputs = linkOutputs(inputs, endpoint);
        progress.status(endpoint.connectionStatus);
        const failure = linkFailure(outputs);
        if (failure !== undefined) {
          throw initError(`failed after ${elapsed()}: ${failure}.`);
        }
        return outputs.connectionStatus === READY_STATUS;
      };
      if (evaluate(created)) {
        return { id, outs: outputs };
      }

      const result = await pollUntil({
        fetch: () => api.getInterfaceEndpoint(identity.projectId, identity.privateLinkId, identity.interfaceEndpointId),
        isDone: evaluate,
        startMs,
        timeoutMs,
        schedule: runtime.schedule,
        clock: runtime.clock,
        retryDelayMs: atlasRetryDelayMs,
        onRetry: (err) => progress.eventOnce(`read failed, retrying: ${errorMessage(err)}`),
      });
      if (!result.done) {
        throw initError(timeoutProblem(outputs.connectionStatus, result.elapsedMs, result.lastError));
      }
      return { id, outs: outputs };
    } catch (err) {
      if (isResourceInitError(err)) {
        throw err;
      }
      if (isAtlasNotFound(err)) {
        const lastStatus = outputs.connectionStatus ?? "not reported";
        throw initError(`disappeared from Atlas after ${elapsed()} while waiting (last status ${lastStatus}).`);
      }
      throw initError(`could not be read after ${elapsed()}: ${errorMessage(err)}.`);
    }
  }

  /**
   * Reads the link for refresh and for adoption through `get`, taking the ids from `props` or else parsing `id`.
   * Returns `{}` when Atlas returns 404, else the current outputs as `props` and the ids and timeouts as `inputs`.
   * Rejects on any other error, and with an `InvalidResourceIdError` for an id that does not parse.
   */
  async read(id: string, props?: InterfaceLinkOutputs): Promise<dynamic.ReadResult> {
    const identity = identityFromProps(props) ?? parseInterfaceLinkId(id);
    const api = this.openApi();
    let endpoint: InterfaceEndpoint;
    try {
      endpoint = await api.getInterfaceEndpoint(
        identity.projectId,
        identity.privateLinkId,
        identity.interfaceEndpointId,
      );
    } catch (err) {
      if (isAtlasNotFound(err)) {
        return {};
      }
      throw withContext(`Failed to read ${KIND} ${id}`, err);
    }
    const inputs = linkInputs(identity, props?.timeouts);
    return { id, props: linkOutputs(inputs, endpoint), inputs };
  }

  /** Applies a change of timeouts, the only property that updates in place. Calls no API. */
  update(_id: string, olds: InterfaceLinkOutputs, news: InterfaceLinkInputs): Promise<dynamic.UpdateResult> {
    const outs: InterfaceLinkOutputs = {
      ...linkInputs(pickIdentity(olds), news.timeouts),
      connectionStatus: olds.connectionStatus ?? null,
      deleteRequested: olds.deleteRequested ?? false,
      errorMessage: olds.errorMessage ?? null,
    };
    return Promise.resolve({ outs });
  }

  /**
   * Detaches the interface endpoint and polls until Atlas returns 404, within `timeouts.delete` (default 1 h). A 404
   * from the DELETE counts as done. Rejects on other errors and on timeout, naming the last status and elapsed time.
   */
  async delete(id: string, props: InterfaceLinkOutputs): Promise<void> {
    const identity = identityFromProps(props) ?? parseInterfaceLinkId(id);
    const timeoutMs = resolveTimeouts(props.timeouts, INTERFACE_LINK_DEFAULT_TIMEOUTS).deleteMs;
    const runtime = providerRuntime(this.options);
    const startMs = runtime.clock.now();
    const api = this.openApi();
    const { projectId, privateLinkId, interfaceEndpointId } = identity;
    await deleteAndWaitUntilGone({
      subject: `${KIND} ${formatInterfaceLinkId(identity)}`,
      remove: () => api.deleteInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId),
      readStatus: async () =>
        (await api.getInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId)).connectionStatus,
      timeoutMs,
      startMs,
      runtime,
      progress: linkProgress(identity, startMs, runtime),
    });
  }

  private openApi(): AtlasApi {
    return openAtlasApi(this.config, this.options.api);
  }
}

/**
 * Returns the output keys that show an old link never became usable, which makes {@link
 * PrivateEndpointInterfaceLinkProvider.diff} replace it: `errorMessage` when Atlas reported an error, and
 * `connectionStatus` when a status other than AVAILABLE was recorded (REJECTED, or a wait that failed or timed out).
 */
function unusableOutputKeys(olds: Partial<InterfaceLinkOutputs>): string[] {
  const keys: string[] = [];
  if (typeof olds.errorMessage === "string" && olds.errorMessage !== "") {
    keys.push("errorMessage");
  }
  if ("connectionStatus" in olds && olds.connectionStatus !== undefined && olds.connectionStatus !== READY_STATUS) {
    keys.push("connectionStatus");
  }
  return keys;
}

/** Returns why the link failed (REJECTED, or an Atlas error message), or undefined while it may still succeed. */
function linkFailure(outputs: InterfaceLinkOutputs): string | undefined {
  const status = outputs.connectionStatus ?? "not reported";
  if (outputs.errorMessage !== null) {
    return `Atlas reports an error with connection status ${status}: ${outputs.errorMessage}`;
  }
  if (outputs.connectionStatus === "REJECTED") {
    return "Atlas reports connection status REJECTED: AWS failed to establish the connection";
  }
  return undefined;
}

function timeoutProblem(status: string | null, elapsedMs: number, lastError: unknown): string {
  let statusText = "Atlas has not reported a connection status";
  if (status !== null) {
    const meaning = WAITING_STATUS_MEANINGS[status] ?? "which this provider does not know, so it kept waiting";
    statusText = `the connection status is still ${status}, ${meaning}`;
  }
  const errorText = lastError === undefined ? "" : ` The last read failed: ${errorMessage(lastError)}.`;
  return (
    `timed out after ${formatDuration(elapsedMs)} waiting for connection status ${READY_STATUS}: ${statusText}.` +
    `${errorText} Raise timeouts.create to wait longer.`
  );
}

/**
 * Sends the POST that attaches the endpoint. When the request got no response, reads the link once, because Atlas
 * may have created it anyway; returns it if found. Rejects with a plain Error (nothing to track) otherwise.
 */
async function postLink(
  api: AtlasApi,
  identity: InterfaceLinkIdentity,
  id: string,
  progress: ProgressLog,
): Promise<InterfaceEndpoint> {
  const { projectId, privateLinkId, interfaceEndpointId } = identity;
  try {
    return await api.createInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);
  } catch (err) {
    const statusCode = atlasStatusCode(err);
    if (statusCode === 409) {
      const advice =
        "The VPC endpoint may already be attached: adopt the link with " +
        `${KIND}.get(name, "${id}") or delete it first.`;
      throw withContext(`Failed to create ${KIND} ${id}`, err, advice);
    }
    if (statusCode === undefined && atlasRetryDelayMs(err) !== undefined) {
      progress.event(`create request got no response (${errorMessage(err)}), checking whether the link exists`);
      try {
        return await api.getInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);
      } catch (readErr) {
        // The check is best effort, so the original failure is what the create reports.
        progress.event(`found no link after the failed create request: ${errorMessage(readErr)}`);
      }
    }
    throw withContext(`Failed to create ${KIND} ${id}`, err);
  }
}

function linkProgress(identity: InterfaceLinkIdentity, startMs: number, runtime: ProviderRuntime): ProgressLog {
  const label = `${KIND} ${identity.projectId}/${identity.privateLinkId}/${identity.interfaceEndpointId}`;
  return new ProgressLog(label, startMs, runtime.clock, runtime.log);
}

function pickIdentity(values: InterfaceLinkIdentity): InterfaceLinkIdentity {
  return {
    projectId: values.projectId,
    privateLinkId: values.privateLinkId,
    interfaceEndpointId: values.interfaceEndpointId,
  };
}

function identityFromProps(props: Partial<InterfaceLinkInputs> | undefined): InterfaceLinkIdentity | undefined {
  if (!props) {
    return undefined;
  }
  const { projectId, privateLinkId, interfaceEndpointId } = props;
  if (typeof projectId === "string" && typeof privateLinkId === "string" && typeof interfaceEndpointId === "string") {
    return { projectId, privateLinkId, interfaceEndpointId };
  }
  return undefined;
}

function linkInputs(identity: InterfaceLinkIdentity, timeouts: unknown): InterfaceLinkInputs {
  const normalized = normalizeTimeouts(timeouts);
  return normalized === undefined ? { ...identity } : { ...identity, timeouts: normalized };
}

function linkOutputs(inputs: InterfaceLinkInputs, endpoint: InterfaceEndpoint): InterfaceLinkOutputs {
  return {
    ...linkInputs(pickIdentity(inputs), inputs.timeouts),
    connectionStatus: typeof endpoint.connectionStatus === "string" ? endpoint.connectionStatus : null,
    deleteRequested: endpoint.deleteRequested === true,
    errorMessage:
      typeof endpoint.errorMessage === "string" && endpoint.errorMessage !== "" ? endpoint.errorMessage : null,
  };
}
