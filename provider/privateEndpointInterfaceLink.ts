import type { dynamic } from "@pulumi/pulumi";
import type { AtlasApi, ConfigSource, InterfaceEndpoint } from "./atlas";
import { atlasRetryDelayMs, invalidAtlasSetting, isAtlasNotFound, openAtlasApi } from "./atlasAccess";
import { deleteAndWaitUntilGone } from "./deletion";
import { errorMessage, isResourceInitError, resourceInitError } from "./errors";
import { requestInterfaceLink } from "./interfaceLinkCreate";
import { describeDeletingLinkStatus, linkFailure, linkTimeoutProblem, READY_STATUS } from "./interfaceLinkStatus";
import { settleFailedRead } from "./notFound";
import { pollUntil } from "./polling";
import { ProgressLog } from "./progress";
import type { ProviderOptions, ProviderRuntime } from "./providerOptions";
import { providerRuntime } from "./providerOptions";
import type { InterfaceLinkIdentity } from "./resourceId";
import { formatInterfaceLinkId, parseInterfaceLinkId } from "./resourceId";
import type { ResolvedTimeouts, Timeouts } from "./timeouts";
import { checkTimeouts, formatDuration, normalizeTimeouts, resolveTimeouts, sameTimeouts } from "./timeouts";
import { isUnknown } from "./unknown";
import { checkValues, describeValue, INTERFACE_LINK_IDENTITY_RULES } from "./validation";

/** Inputs of a PrivateEndpointInterfaceLink as the engine passes them to the provider. */
export interface InterfaceLinkInputs extends InterfaceLinkIdentity {
  timeouts?: Timeouts;
  /** When true, a create that finds the link already in Atlas takes it over instead of failing. False when unset. */
  adoptExisting?: boolean;
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
const OBJECT = "the link";

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
   * Validates the ids, timeouts and adoptExisting; values unknown during preview pass. Returns the known input
   * properties and one failure per invalid property. Calls no API, but rejects an invalid client setting such as
   * mongodbatlas:privateEndpointApi.
   */
  check(_olds: InterfaceLinkInputs, news: InterfaceLinkInputs): Promise<dynamic.CheckResult<InterfaceLinkInputs>> {
    const settingError = invalidAtlasSetting(this.config, this.options.api);
    if (settingError !== undefined) {
      return Promise.reject(settingError);
    }
    const values = news as unknown as Record<string, unknown>;
    const failures = [
      ...checkValues(values, INTERFACE_LINK_IDENTITY_RULES, true),
      ...checkTimeouts(values.timeouts),
      ...checkAdoptExisting(values.adoptExisting),
    ];
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
    if (values.adoptExisting !== undefined && values.adoptExisting !== null) {
      inputs.adoptExisting = values.adoptExisting;
    }
    return Promise.resolve({ inputs: inputs as unknown as InterfaceLinkInputs, failures });
  }

  /**
   * Compares old outputs with new inputs, ignoring `__provider`. A changed or unknown id replaces the link, and so
   * does an old link that never became usable. A change of timeouts or adoptExisting alone is an update, because
   * adoptExisting only matters to a create. Deletes before replacing when the interface endpoint id stays the same or
   * is unknown, because a VPC endpoint connects to one endpoint service at a time and Atlas rejects a second link to
   * the same VPC endpoint.
   */
  diff(_id: string, olds: InterfaceLinkOutputs, news: InterfaceLinkInputs): Promise<dynamic.DiffResult> {
    const replaces: string[] = IDENTITY_KEYS.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]);
    if (replaces.length === 0) {
      replaces.push(...unusableOutputKeys(olds));
    }
    const replacing = replaces.length > 0;
    const timeoutsChanged = !sameTimeouts(olds.timeouts, news.timeouts, INTERFACE_LINK_DEFAULT_TIMEOUTS);
    const adoptExistingChanged =
      isUnknown(news.adoptExisting) || (olds.adoptExisting ?? false) !== (news.adoptExisting ?? false);
    const keepsEndpoint = isUnknown(news.interfaceEndpointId) || news.interfaceEndpointId === olds.interfaceEndpointId;
    return Promise.resolve({
      changes: replacing || timeoutsChanged || adoptExistingChanged,
      replaces,
      deleteBeforeReplace: replacing && keepsEndpoint,
    });
  }

  /**
   * Attaches the interface endpoint and polls until Atlas reports AVAILABLE, within `timeouts.create` (default 2 h).
   * With `adoptExisting`, a link that Atlas already has for the same ids is taken over and waited on the same way.
   * Rejects with a plain Error when Atlas created nothing and there is nothing to adopt. Once the link exists or may
   * exist, any failure rejects with an error that carries `id`, `properties` (the outputs so far) and `reasons`, which
   * Pulumi records as a partial failure that keeps the link in the stack state. Such failures are REJECTED, DELETING,
   * a missing or undocumented connectionStatus, an Atlas error message, a failed read, the timeout, and a lost create
   * response that no read could resolve.
   */
  async create(inputs: InterfaceLinkInputs): Promise<dynamic.CreateResult<InterfaceLinkOutputs>> {
    const identity = pickIdentity(inputs);
    const runtime = providerRuntime(this.options);
    const startMs = runtime.clock.now();
    const progress = linkProgress(identity, startMs, runtime);
    try {
      return await createAndWait(this.openApi(), inputs, identity, startMs, runtime, progress);
    } catch (err) {
      progress.event(`create failed: ${errorMessage(err)}`);
      throw err;
    }
  }

  /**
   * Reads the link for refresh and for adoption through `get`, taking the ids from `props` or else parsing `id`.
   * Returns `{}`, which drops the link from the state, when Atlas returns a 404 that {@link confirmNotFound} confirms,
   * else the current outputs as `props` and the ids and timeouts as `inputs`. Rejects on any other error, on a 404
   * that is not confirmed, and with an `InvalidResourceIdError` for an id that does not parse.
   */
  async read(id: string, props?: InterfaceLinkOutputs): Promise<dynamic.ReadResult> {
    const stored = identityFromProps(props);
    const identity = stored ?? parseInterfaceLinkId(id);
    const api = this.openApi();
    let endpoint: InterfaceEndpoint;
    try {
      endpoint = await api.getInterfaceEndpoint(
        identity.projectId,
        identity.privateLinkId,
        identity.interfaceEndpointId,
      );
    } catch (err) {
      const runtime = providerRuntime(this.options);
      const progress = linkProgress(identity, runtime.clock.now(), runtime);
      const target = { api, projectId: identity.projectId, subject: `${KIND} ${id}`, object: OBJECT };
      await settleFailedRead(target, err, { fromGet: stored === undefined, event: (line) => progress.event(line) });
      return {};
    }
    const inputs = linkInputs(identity, props?.timeouts, props?.adoptExisting);
    return { id, props: linkOutputs(inputs, endpoint), inputs };
  }

  /** Applies a change of timeouts or adoptExisting, the properties that update in place. Calls no API. */
  update(_id: string, olds: InterfaceLinkOutputs, news: InterfaceLinkInputs): Promise<dynamic.UpdateResult> {
    const outs: InterfaceLinkOutputs = {
      ...linkInputs(pickIdentity(olds), news.timeouts, news.adoptExisting),
      connectionStatus: olds.connectionStatus ?? null,
      deleteRequested: olds.deleteRequested ?? false,
      errorMessage: olds.errorMessage ?? null,
    };
    return Promise.resolve({ outs });
  }

  /**
   * Detaches the interface endpoint and polls until Atlas returns 404, within `timeouts.delete` (default 1 h). A 404
   * from the DELETE counts as done. Every 404 counts only once {@link confirmNotFound} confirms it, and otherwise
   * rejects. Rejects on other errors and on timeout, naming the elapsed time, the last status and what it waits on.
   */
  async delete(id: string, props: InterfaceLinkOutputs): Promise<void> {
    const identity = identityFromProps(props) ?? parseInterfaceLinkId(id);
    const timeoutMs = resolveTimeouts(props.timeouts, INTERFACE_LINK_DEFAULT_TIMEOUTS).deleteMs;
    const runtime = providerRuntime(this.options);
    const startMs = runtime.clock.now();
    const api = this.openApi();
    const { projectId, privateLinkId, interfaceEndpointId } = identity;
    await deleteAndWaitUntilGone({
      api,
      projectId,
      subject: `${KIND} ${formatInterfaceLinkId(identity)}`,
      object: OBJECT,
      remove: () => api.deleteInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId),
      readStatus: async () =>
        (await api.getInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId)).connectionStatus,
      describeStatus: describeDeletingLinkStatus,
      timeoutMs,
      startMs,
      runtime,
      progress: linkProgress(identity, startMs, runtime),
    });
  }

  private openApi(): AtlasApi {
    return openAtlasApi(this.config, this.options.api, this.options.log);
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

/**
 * Requests the link, then polls it until it is AVAILABLE, fails or the create timeout passes: the body of
 * {@link PrivateEndpointInterfaceLinkProvider.create}.
 */
async function createAndWait(
  api: AtlasApi,
  inputs: InterfaceLinkInputs,
  identity: InterfaceLinkIdentity,
  startMs: number,
  runtime: ProviderRuntime,
  progress: ProgressLog,
): Promise<dynamic.CreateResult<InterfaceLinkOutputs>> {
  const id = formatInterfaceLinkId(identity);
  const timeoutMs = resolveTimeouts(inputs.timeouts, INTERFACE_LINK_DEFAULT_TIMEOUTS).createMs;
  progress.event(`creating, waiting up to ${formatDuration(timeoutMs)} for connectionStatus ${READY_STATUS}`);
  const request = await requestInterfaceLink(api, identity, progress, { adoptExisting: inputs.adoptExisting === true });

  let outputs = linkOutputs(inputs, request.created ? request.endpoint : undefined);
  const initError = (problem: string) =>
    resourceInitError(id, outputs, inputs, `${KIND} ${id} ${problem} ${TRACKED_HINT}`);
  const elapsed = () => formatDuration(runtime.clock.now() - startMs);
  if (!request.created) {
    throw initError(`could not be confirmed after ${elapsed()}: ${request.unknown}.`);
  }

  try {
    const evaluate = (endpoint: InterfaceEndpoint): boolean => {
      outputs = linkOutputs(inputs, endpoint);
      progress.status(outputs.connectionStatus);
      const failure = linkFailure(outputs.connectionStatus, outputs.errorMessage);
      if (failure !== undefined) {
        throw initError(`failed after ${elapsed()}: ${failure}.`);
      }
      return outputs.connectionStatus === READY_STATUS;
    };
    if (evaluate(request.endpoint)) {
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
      throw initError(linkTimeoutProblem(outputs.connectionStatus, result.elapsedMs, result.lastError));
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

function linkInputs(identity: InterfaceLinkIdentity, timeouts: unknown, adoptExisting: unknown): InterfaceLinkInputs {
  const inputs: InterfaceLinkInputs = { ...identity };
  const normalized = normalizeTimeouts(timeouts);
  if (normalized !== undefined) {
    inputs.timeouts = normalized;
  }
  if (typeof adoptExisting === "boolean") {
    inputs.adoptExisting = adoptExisting;
  }
  return inputs;
}

/** Returns a failure when adoptExisting is set to anything but a boolean; unknown values during preview pass. */
function checkAdoptExisting(value: unknown): dynamic.CheckFailure[] {
  if (value === undefined || value === null || typeof value === "boolean" || isUnknown(value)) {
    return [];
  }
  return [
    { property: "adoptExisting", reason: `adoptExisting ${describeValue(value)} is invalid: expected true or false` },
  ];
}

/** Builds the outputs from the inputs and the link as Atlas returned it; without a link, every Atlas field is empty. */
function linkOutputs(inputs: InterfaceLinkInputs, endpoint: InterfaceEndpoint | undefined): InterfaceLinkOutputs {
  return {
    ...linkInputs(pickIdentity(inputs), inputs.timeouts, inputs.adoptExisting),
    connectionStatus: nonEmptyString(endpoint?.connectionStatus),
    deleteRequested: endpoint?.deleteRequested === true,
    errorMessage: nonEmptyString(endpoint?.errorMessage),
  };
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
