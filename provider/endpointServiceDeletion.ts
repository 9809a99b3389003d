import { isAtlasNotFound } from "./atlasAccess";
import { errorMessage, withContext } from "./errors";
import type { NotFoundTarget } from "./notFound";
import { confirmNotFound, isUnconfirmedNotFound, pollRetryDelayMs } from "./notFound";
import type { PollSchedule } from "./polling";
import { pollUntil } from "./polling";
import type { ProgressLog } from "./progress";
import type { ProviderRuntime } from "./providerOptions";
import { formatDuration } from "./timeouts";

/**
 * Inputs of {@link waitForInterfaceEndpointsOnConflict}: the service being deleted and the delete's deadline. The
 * {@link NotFoundTarget} fields name the service and let a 404 be confirmed.
 */
export interface ServiceConflictOptions extends NotFoundTarget {
  privateLinkId: string;
  /** Start of the delete as a `runtime.clock.now()` value in milliseconds. */
  startMs: number;
  /** Maximum wait of the whole delete in milliseconds, counted from `startMs`. */
  timeoutMs: number;
  runtime: ProviderRuntime;
  progress: ProgressLog;
}

/** An interface endpoint listed by the service, with the status Atlas reported for it. */
interface ListedEndpoint {
  id: string;
  status: string;
}

/**
 * Returns the `onConflict` handler for the DELETE of an endpoint service. Atlas rejects that DELETE with 409 while the
 * service lists interface endpoints, also ones that are being deleted. The handler reads the service and each listed
 * endpoint, rejects naming the endpoints that are not being deleted, and otherwise polls the service with the usual
 * backoff until its `interfaceEndpoints` is empty, then resolves "retry". It resolves "gone" when the service returns
 * a 404 that {@link confirmNotFound} confirms, rejects with the confirmation's error when it does not, and rejects at
 * the delete deadline.
 */
export function waitForInterfaceEndpointsOnConflict(
  options: ServiceConflictOptions,
): (conflict: unknown) => Promise<"retry" | "gone"> {
  const state = { conflicts: 0 };
  return async (conflict) => {
    const listed = await readListedEndpoints(options, conflict);
    if (listed === undefined) {
      return "gone";
    }
    const blocking = await endpointsNotBeingDeleted(options, listed, conflict);
    if (blocking.length > 0) {
      const names = blocking.map((endpoint) => `${endpoint.id} (${endpoint.status})`).join(", ");
      throw withContext(
        `Failed to delete ${options.subject}`,
        conflict,
        `The service still has interface endpoints that are not being deleted: ${names}. Delete their ` +
          "PrivateEndpointInterfaceLink resources, or the interface endpoints in Atlas, first, then delete the " +
          "endpoint service again.",
      );
    }
    // Each further 409 doubles the first delay of the wait, so a conflict that outlasts an empty list backs off.
    const { schedule } = options.runtime;
    const firstDelayMs = Math.min(schedule.maxDelayMs, schedule.initialDelayMs * 2 ** state.conflicts);
    const delayedSchedule: PollSchedule = { ...schedule, initialDelayMs: firstDelayMs };
    state.conflicts += 1;
    return await waitUntilNoEndpoints(options, listed, delayedSchedule, conflict);
  };
}

/** Reads the ids the service lists in `interfaceEndpoints`, or undefined when the service returns a confirmed 404. */
async function readListedEndpoints(options: ServiceConflictOptions, conflict: unknown): Promise<string[] | undefined> {
  try {
    const service = await options.api.getEndpointService(options.projectId, options.privateLinkId);
    return Array.isArray(service.interfaceEndpoints) ? [...service.interfaceEndpoints] : [];
  } catch (err) {
    if (isAtlasNotFound(err)) {
      await confirmNotFound(options);
      return undefined;
    }
    throw withContext(
      `Failed to read ${options.subject} after Atlas rejected its deletion (${errorMessage(conflict)})`,
      err,
    );
  }
}

/**
 * Reads each listed interface endpoint and returns those that are not being deleted: neither in connectionStatus
 * DELETING nor marked `deleteRequested`. An endpoint that returns 404 is gone and does not count. That 404 needs no
 * confirmation, because the service was just read from the same project, and counting it wrongly only means another
 * DELETE that Atlas rejects with 409 again.
 */
async function endpointsNotBeingDeleted(
  options: ServiceConflictOptions,
  listed: readonly string[],
  conflict: unknown,
): Promise<ListedEndpoint[]> {
  const blocking: ListedEndpoint[] = [];
  for (const id of listed) {
    try {
      const endpoint = await options.api.getInterfaceEndpoint(options.projectId, options.privateLinkId, id);
      if (endpoint.connectionStatus !== "DELETING" && endpoint.deleteRequested !== true) {
        blocking.push({ id, status: endpoint.connectionStatus ?? "no status" });
      }
    } catch (err) {
      if (!isAtlasNotFound(err)) {
        throw withContext(
          `Failed to read interface endpoint ${id} of ${options.subject} after Atlas rejected the deletion of the ` +
            `service (${errorMessage(conflict)})`,
          err,
        );
      }
    }
  }
  return blocking;
}

/**
 * Polls the service until it lists no interface endpoints ("retry"), lists one that was not being deleted before
 * ("retry", so the next 409 checks it), or returns a confirmed 404 ("gone"). Rejects at the delete deadline.
 */
async function waitUntilNoEndpoints(
  options: ServiceConflictOptions,
  deleting: readonly string[],
  schedule: PollSchedule,
  conflict: unknown,
): Promise<"retry" | "gone"> {
  const { progress, runtime } = options;
  const seen = { endpoints: [...deleting] };
  if (deleting.length > 0) {
    progress.event(`waiting for ${countEndpoints(deleting.length)} to finish deleting: ${deleting.join(", ")}`);
  } else {
    progress.event("Atlas rejected the deletion with 409 but lists no interface endpoints, deleting again shortly");
  }

  const result = await pollUntil<{ gone: boolean; endpoints: string[] }>({
    fetch: async () => {
      try {
        const service = await options.api.getEndpointService(options.projectId, options.privateLinkId);
        return { gone: false, endpoints: Array.isArray(service.interfaceEndpoints) ? service.interfaceEndpoints : [] };
      } catch (err) {
        if (isAtlasNotFound(err)) {
          await confirmNotFound(options);
          return { gone: true, endpoints: [] };
        }
        throw err;
      }
    },
    isDone: (state) => {
      if (state.gone) {
        return true;
      }
      if (state.endpoints.length !== seen.endpoints.length && state.endpoints.length > 0) {
        progress.event(`waiting for ${countEndpoints(state.endpoints.length)} to finish deleting`);
      }
      seen.endpoints = state.endpoints;
      return state.endpoints.length === 0 || state.endpoints.some((id) => !deleting.includes(id));
    },
    startMs: options.startMs,
    timeoutMs: options.timeoutMs,
    schedule,
    clock: runtime.clock,
    retryDelayMs: pollRetryDelayMs,
    onRetry: (err) => progress.eventOnce(`read failed, retrying: ${errorMessage(err)}`),
  }).catch((err: unknown) => {
    if (isUnconfirmedNotFound(err)) {
      throw err;
    }
    throw withContext(`Failed to read ${options.subject} while waiting for its interface endpoints to be deleted`, err);
  });

  if (!result.done) {
    const lastError = result.lastError === undefined ? "" : ` The last read failed: ${errorMessage(result.lastError)}.`;
    const reason =
      seen.endpoints.length > 0
        ? `the service still lists ${countEndpoints(seen.endpoints.length)} (${seen.endpoints.join(", ")}) that ` +
          "Atlas is still deleting, and Atlas deletes the service only after them"
        : `Atlas kept rejecting the deletion (${errorMessage(conflict)})`;
    throw new Error(
      `Timed out after ${formatDuration(result.elapsedMs)} waiting for Atlas to delete ${options.subject}: ` +
        `${reason}.${lastError} Raise timeouts.delete to wait longer; the resource stays in the stack state until a ` +
        "delete completes.",
    );
  }
  if (result.value.gone) {
    return "gone";
  }
  if (result.value.endpoints.length === 0) {
    progress.event("interface endpoints deleted, deleting the endpoint service again");
  }
  return "retry";
}

function countEndpoints(count: number): string {
  return count === 1 ? "1 interface endpoint" : `${count} interface endpoints`;
}
