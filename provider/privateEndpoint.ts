import type { dynamic } from "@pulumi/pulumi";
import type { AtlasApi, ConfigSource, EndpointService } from "./atlas";
import { atlasRetryDelayMs, invalidAtlasSetting, isAtlasNotFound, openAtlasApi } from "./atlasAccess";
import { deleteAndWaitUntilGone } from "./deletion";
import { requestEndpointService } from "./endpointServiceCreate";
import { waitForInterfaceEndpointsOnConflict } from "./endpointServiceDeletion";
import { errorMessage, isResourceInitError, resourceInitError } from "./errors";
import { settleFailedRead } from "./notFound";
import { pollUntil } from "./polling";
import { ProgressLog } from "./progress";
import type { ProviderOptions, ProviderRuntime } from "./providerOptions";
import { providerRuntime } from "./providerOptions";
import type { PrivateEndpointIdentity } from "./resourceId";
import { formatPrivateEndpointId, parsePrivateEndpointId } from "./resourceId";
import type { ResolvedTimeouts, Timeouts } from "./timeouts";
import { checkTimeouts, formatDuration, normalizeTimeouts, resolveTimeouts, sameTimeouts } from "./timeouts";
import { isUnknown } from "./unknown";
import { AWS_REGION_RULE, checkValues, describeValue, PROJECT_ID_RULE } from "./validation";

/** Inputs of a PrivateEndpoint as the engine passes them to the provider. */
export interface PrivateEndpointInputs {
  projectId: string;
  /** Always `AWS`, the only cloud provider this package supports; `check` fills it in when unset. */
  providerName: string;
  /** AWS region name such as `us-east-1`. */
  region: string;
  timeouts?: Timeouts;
}

/** Outputs of a PrivateEndpoint: the inputs and the endpoint service as Atlas last reported it. */
export interface PrivateEndpointOutputs extends PrivateEndpointInputs {
  /** Id of the Atlas endpoint service, which links refer to. */
  privateLinkId: string;
  /** AWS service name to create the interface VPC endpoint for; null while Atlas is still creating the service. */
  endpointServiceName: string | null;
  /** Atlas's `status`, null when Atlas reported none. */
  status: string | null;
  /** Atlas's `errorMessage`, null when Atlas reports no error. */
  errorMessage: string | null;
  /** Ids of the interface VPC endpoints attached to the service. */
  interfaceEndpoints: string[];
  /** Atlas region name such as `US_EAST_1`, null when Atlas reported none. */
  regionName: string | null;
}

/**
 * Default waits for an endpoint service: 1 hour for a create, during which Atlas builds a network load balancer and
 * the AWS endpoint service, and 1 hour for a delete.
 */
export const PRIVATE_ENDPOINT_DEFAULT_TIMEOUTS: ResolvedTimeouts = {
  createMs: 60 * 60 * 1000,
  deleteMs: 60 * 60 * 1000,
};

const KIND = "PrivateEndpoint";
const PROVIDER_NAME = "AWS";
const INPUT_KEYS = ["projectId", "providerName", "region"] as const;
/** Statuses of a service that is ready for interface endpoints. Others count as waiting, except FAILED. */
const READY_STATUSES: readonly string[] = ["WAITING_FOR_USER", "AVAILABLE"];
const FAILED_STATUS = "FAILED";
const OBJECT = "the endpoint service";

const TRACKED_HINT =
  "The endpoint service stays in the stack state: the next pulumi up replaces it and pulumi destroy deletes it.";

/**
 * Pulumi dynamic provider for an Atlas AWS endpoint service (a private endpoint). Credentials come from the stack
 * config given to `configure`, else from the environment, and are resolved inside each method that calls Atlas.
 */
export class PrivateEndpointProvider implements dynamic.ResourceProvider<
  PrivateEndpointInputs,
  PrivateEndpointOutputs
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
   * Validates the project id, the provider name (only `AWS`, the default), the region and the timeouts; values
   * unknown during preview pass. Returns the known inputs and one failure per invalid property. Calls no API, but
   * rejects an invalid client setting such as mongodbatlas:privateEndpointApi.
   */
  check(
    _olds: PrivateEndpointInputs,
    news: PrivateEndpointInputs,
  ): Promise<dynamic.CheckResult<PrivateEndpointInputs>> {
    const settingError = invalidAtlasSetting(this.config, this.options.api);
    if (settingError !== undefined) {
      return Promise.reject(settingError);
    }
    const values = news as unknown as Record<string, unknown>;
    const providerName = values.providerName ?? PROVIDER_NAME;
    const failures = [
      ...checkValues(values, { projectId: PROJECT_ID_RULE, region: AWS_REGION_RULE }, true),
      ...checkTimeouts(values.timeouts),
    ];
    if (providerName !== PROVIDER_NAME && !isUnknown(providerName)) {
      failures.push({
        property: "providerName",
        reason: `providerName ${describeValue(providerName)} is not supported: expected "${PROVIDER_NAME}"`,
      });
    }

    const inputs: Record<string, unknown> = { ...values, providerName };
    for (const key of Object.keys(inputs)) {
      if (!(INPUT_KEYS as readonly string[]).includes(key) || inputs[key] === undefined) {
        delete inputs[key];
      }
    }
    const timeouts = normalizeTimeouts(values.timeouts);
    if (timeouts !== undefined) {
      inputs.timeouts = timeouts;
    }
    return Promise.resolve({ inputs: inputs as unknown as PrivateEndpointInputs, failures });
  }

  /**
   * Compares old outputs with new inputs, ignoring `__provider`. Any changed or unknown input other than timeouts
   * replaces the service, and so does an old service that never became ready. A change of timeouts alone is an
   * update. Deletes before replacing when the project and region stay the same or are unknown, because Atlas allows
   * one AWS endpoint service per region in a project.
   */
  diff(_id: string, olds: PrivateEndpointOutputs, news: PrivateEndpointInputs): Promise<dynamic.DiffResult> {
    const replaces: string[] = INPUT_KEYS.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]);
    if (replaces.length === 0 && olds.status !== undefined && !READY_STATUSES.includes(olds.status ?? "")) {
      replaces.push("status");
    }
    const replacing = replaces.length > 0;
    const timeoutsChanged = !sameTimeouts(olds.timeouts, news.timeouts, PRIVATE_ENDPOINT_DEFAULT_TIMEOUTS);
    const sameProject = isUnknown(news.projectId) || news.projectId === olds.projectId;
    const sameRegion = isUnknown(news.region) || news.region === olds.region;
    return Promise.resolve({
      changes: replacing || timeoutsChanged,
      replaces,
      deleteBeforeReplace: replacing && sameProject && sameRegion,
    });
  }

  /**
   * Creates the endpoint service and polls until it has a service name and status WAITING_FOR_USER or AVAILABLE,
   * within `timeouts.create` (default 1 h). After a create request without a usable response, finds the service by
   * listing the project's services. Rejects with a plain Error when Atlas created nothing or the outcome is unknown.
   * Once the service exists, status FAILED, a failed read or the timeout reject with an error carrying `id`,
   * `properties` and `reasons`, which Pulumi records as a partial failure that keeps the service in the stack state.
   */
  async create(inputs: PrivateEndpointInputs): Promise<dynamic.CreateResult<PrivateEndpointOutputs>> {
    const runtime = providerRuntime(this.options);
    const startMs = runtime.clock.now();
    let progress = serviceProgress(inputs, startMs, runtime);
    try {
      const timeoutMs = resolveTimeouts(inputs.timeouts, PRIVATE_ENDPOINT_DEFAULT_TIMEOUTS).createMs;
      const api = this.openApi();
      progress.event(`creating, waiting up to ${formatDuration(timeoutMs)}`);
      const service = await requestEndpointService(api, inputs.projectId, inputs.region, progress);
      progress = serviceProgress({ ...inputs, privateLinkId: service.id }, startMs, runtime);
      return await waitUntilReady(api, inputs, service, timeoutMs, startMs, runtime, progress);
    } catch (err) {
      progress.event(`create failed: ${errorMessage(err)}`);
      throw err;
    }
  }

  /**
   * Reads the service for refresh and for adoption through `get`, taking the ids from `props` or else parsing `id`.
   * Returns `{}`, which drops the service from the state, when Atlas returns a 404 that {@link confirmNotFound}
   * confirms, else the current outputs as `props` and the inputs as `inputs`. Rejects on any other error, on a 404 that
   * is not confirmed, and with an `InvalidResourceIdError` for an id that does not parse.
   */
  async read(id: string, props?: PrivateEndpointOutputs): Promise<dynamic.ReadResult> {
    const stored = identityFromProps(props);
    const identity = stored ?? parsePrivateEndpointId(id);
    const api = this.openApi();
    let service: EndpointService;
    try {
      service = await api.getEndpointService(identity.projectId, identity.privateLinkId);
    } catch (err) {
      const runtime = providerRuntime(this.options);
      const progress = serviceProgress(identity, runtime.clock.now(), runtime);
      const target = { api, projectId: identity.projectId, subject: `${KIND} ${id}`, object: OBJECT };
      await settleFailedRead(target, err, { fromGet: stored === undefined, event: (line) => progress.event(line) });
      return {};
    }
    const atlasRegion = nonEmptyString(service.regionName);
    const idRegion = identity.region.toUpperCase().replace(/-/g, "_");
    if (stored === undefined && atlasRegion !== null && atlasRegion !== idRegion) {
      const region = atlasRegion.toLowerCase().replace(/_/g, "-");
      throw new Error(
        `Invalid ${KIND} id "${id}": it names the AWS region ${identity.region}, but Atlas reports endpoint service ` +
          `${identity.privateLinkId} in ${atlasRegion}. Use the id ` +
          `"${formatPrivateEndpointId({ ...identity, region })}".`,
      );
    }
    const inputs = serviceInputs(identity, props?.timeouts);
    return { id, props: serviceOutputs(inputs, { ...service, id: identity.privateLinkId }), inputs };
  }

  /** Applies a change of timeouts, the only property that updates in place. Calls no API. */
  update(_id: string, olds: PrivateEndpointOutputs, news: PrivateEndpointInputs): Promise<dynamic.UpdateResult> {
    const outs: PrivateEndpointOutputs = {
      ...serviceInputs(
        { projectId: olds.projectId, privateLinkId: olds.privateLinkId, region: olds.region },
        news.timeouts,
      ),
      privateLinkId: olds.privateLinkId,
      endpointServiceName: olds.endpointServiceName ?? null,
      status: olds.status ?? null,
      errorMessage: olds.errorMessage ?? null,
      interfaceEndpoints: olds.interfaceEndpoints ?? [],
      regionName: olds.regionName ?? null,
    };
    return Promise.resolve({ outs });
  }

  /**
   * Deletes the service and polls until Atlas returns 404, within `timeouts.delete` (default 1 h). A 404 from the
   * DELETE counts as done. Every 404 counts only once {@link confirmNotFound} confirms it, and otherwise rejects. A
   * 409 while the service lists interface endpoints that are being deleted waits until the list is empty and deletes
   * again, and a 409 for endpoints that are not being deleted rejects naming them. Rejects on other errors and on
   * timeout, naming the elapsed time and the last status.
   */
  async delete(id: string, props: PrivateEndpointOutputs): Promise<void> {
    const stored = identityFromProps(props);
    const identity = stored ?? parsePrivateEndpointId(id);
    const timeoutMs = resolveTimeouts(props.timeouts, PRIVATE_ENDPOINT_DEFAULT_TIMEOUTS).deleteMs;
    const runtime = providerRuntime(this.options);
    const startMs = runtime.clock.now();
    const api = this.openApi();
    const { projectId, privateLinkId } = identity;
    const subject = `${KIND} ${formatPrivateEndpointId(identity)}`;
    const progress = serviceProgress(identity, startMs, runtime);
    await deleteAndWaitUntilGone({
      api,
      projectId,
      subject,
      object: OBJECT,
      remove: () => api.deleteEndpointService(projectId, privateLinkId),
      readStatus: async () => (await api.getEndpointService(projectId, privateLinkId)).status,
      describeStatus: (status) =>
        status === "DELETING" ? "which means Atlas is still deleting the endpoint service" : undefined,
      onConflict: waitForInterfaceEndpointsOnConflict({
        api,
        projectId,
        privateLinkId,
        subject,
        object: OBJECT,
        startMs,
        timeoutMs,
        runtime,
        progress,
      }),
      timeoutMs,
      startMs,
      runtime,
      progress,
    });
  }

  private openApi(): AtlasApi {
    return openAtlasApi(this.config, this.options.api, this.options.log);
  }
}

function isReady(outputs: PrivateEndpointOutputs): boolean {
  return outputs.endpointServiceName !== null && outputs.status !== null && READY_STATUSES.includes(outputs.status);
}

/** Starts a progress log labelled with the project, the service id once known, and the region. */
function serviceProgress(
  identity: { projectId: string; privateLinkId?: string; region: string },
  startMs: number,
  runtime: ProviderRuntime,
): ProgressLog {
  const ids =
    identity.privateLinkId === undefined ? identity.projectId : `${identity.projectId}/${identity.privateLinkId}`;
  return new ProgressLog(`${KIND} ${ids} (${identity.region})`, startMs, runtime.clock, runtime.log);
}

/**
 * Polls the created service until it has a service name and a ready status, fails, or the create timeout passes. Every
 * failure rejects as a partial failure that keeps the service in the stack state.
 */
async function waitUntilReady(
  api: AtlasApi,
  inputs: PrivateEndpointInputs,
  service: EndpointService,
  timeoutMs: number,
  startMs: number,
  runtime: ProviderRuntime,
  progress: ProgressLog,
): Promise<dynamic.CreateResult<PrivateEndpointOutputs>> {
  const identity = { projectId: inputs.projectId, privateLinkId: service.id, region: inputs.region };
  const id = formatPrivateEndpointId(identity);
  progress.event(`created, waiting for ${READY_STATUSES.join(" or ")}`);
  let outputs = serviceOutputs(inputs, service);
  const initError = (problem: string) =>
    resourceInitError(id, outputs, inputs, `${KIND} ${id} ${problem} ${TRACKED_HINT}`);
  const elapsed = () => formatDuration(runtime.clock.now() - startMs);

  try {
    const evaluate = (current: EndpointService): boolean => {
      outputs = serviceOutputs(inputs, current);
      progress.status(outputs.status);
      if (outputs.status === FAILED_STATUS) {
        const detail = outputs.errorMessage === null ? "" : `: ${outputs.errorMessage}`;
        throw initError(`failed after ${elapsed()}: Atlas reports status ${FAILED_STATUS}${detail}.`);
      }
      return isReady(outputs);
    };
    if (evaluate(service)) {
      return { id, outs: outputs };
    }

    const result = await pollUntil({
      fetch: () => api.getEndpointService(identity.projectId, identity.privateLinkId),
      isDone: evaluate,
      startMs,
      timeoutMs,
      schedule: runtime.schedule,
      clock: runtime.clock,
      retryDelayMs: atlasRetryDelayMs,
      onRetry: (err) => progress.eventOnce(`read failed, retrying: ${errorMessage(err)}`),
    });
    if (!result.done) {
      const lastError =
        result.lastError === undefined ? "" : ` The last read failed: ${errorMessage(result.lastError)}.`;
      throw initError(
        `timed out after ${formatDuration(result.elapsedMs)} waiting for a service name and status ` +
          `${READY_STATUSES.join(" or ")}: the status is ${outputs.status ?? "not reported"} and the service name ` +
          `is ${outputs.endpointServiceName === null ? "not set" : "set"}.${lastError} ` +
          "Raise timeouts.create to wait longer.",
      );
    }
    return { id, outs: outputs };
  } catch (err) {
    if (isResourceInitError(err)) {
      throw err;
    }
    if (isAtlasNotFound(err)) {
      const lastStatus = outputs.status ?? "not reported";
      throw initError(`disappeared from Atlas after ${elapsed()} while waiting (last status ${lastStatus}).`);
    }
    throw initError(`could not be read after ${elapsed()}: ${errorMessage(err)}.`);
  }
}

function identityFromProps(props: Partial<PrivateEndpointOutputs> | undefined): PrivateEndpointIdentity | undefined {
  if (!props) {
    return undefined;
  }
  const { projectId, privateLinkId, region } = props;
  if (typeof projectId === "string" && typeof privateLinkId === "string" && typeof region === "string") {
    return { projectId, privateLinkId, region };
  }
  return undefined;
}

function serviceInputs(identity: PrivateEndpointIdentity, timeouts: unknown): PrivateEndpointInputs {
  const inputs: PrivateEndpointInputs = {
    projectId: identity.projectId,
    providerName: PROVIDER_NAME,
    region: identity.region,
  };
  const normalized = normalizeTimeouts(timeouts);
  return normalized === undefined ? inputs : { ...inputs, timeouts: normalized };
}

function serviceOutputs(inputs: PrivateEndpointInputs, service: EndpointService): PrivateEndpointOutputs {
  return {
    ...serviceInputs(
      { projectId: inputs.projectId, privateLinkId: service.id, region: inputs.region },
      inputs.timeouts,
    ),
    privateLinkId: service.id,
    endpointServiceName: nonEmptyString(service.endpointServiceName),
    status: nonEmptyString(service.status),
    errorMessage: nonEmptyString(service.errorMessage),
    interfaceEndpoints: Array.isArray(service.interfaceEndpoints) ? [...service.interfaceEndpoints] : [],
    regionName: nonEmptyString(service.regionName),
  };
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
