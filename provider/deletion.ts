import { atlasRetryDelayMs, isAtlasNotFound } from "./atlasAccess";
import { errorMessage, withContext } from "./errors";
import { pollUntil } from "./polling";
import type { ProgressLog } from "./progress";
import type { ProviderRuntime } from "./providerOptions";
import { formatDuration } from "./timeouts";

/** Inputs of {@link deleteAndWaitUntilGone}: how to delete one Atlas object and how to watch it disappear. */
export interface DeletionOptions {
  /** Resource kind and id for messages, such as `PrivateEndpointInterfaceLink 5f…--AWS`. */
  subject: string;
  /** Sends the DELETE request. */
  remove: () => Promise<void>;
  /** Reads the object's current status; rejects with an Atlas 404 error once the object is gone. */
  readStatus: () => Promise<string | null | undefined>;
  /** Maximum wait in milliseconds, counted from `startMs`. */
  timeoutMs: number;
  /** Start of the delete as a `runtime.clock.now()` value in milliseconds. */
  startMs: number;
  runtime: ProviderRuntime;
  progress: ProgressLog;
}

/**
 * Deletes an Atlas object and polls until reading it returns 404. A 404 from the DELETE counts as already deleted.
 * Rejects with an Error naming the subject on any other failed call, and on timeout with the last status seen and
 * the time elapsed.
 */
export async function deleteAndWaitUntilGone(options: DeletionOptions): Promise<void> {
  const { progress, runtime } = options;
  progress.event(`deleting, waiting up to ${formatDuration(options.timeoutMs)}`);
  try {
    await options.remove();
  } catch (err) {
    if (isAtlasNotFound(err)) {
      progress.event("was already deleted");
      return;
    }
    throw withContext(`Failed to delete ${options.subject}`, err);
  }

  const seen: { status?: string | null } = {};
  const result = await pollUntil<{ gone: boolean }>({
    fetch: async () => {
      try {
        seen.status = await options.readStatus();
        return { gone: false };
      } catch (err) {
        if (isAtlasNotFound(err)) {
          return { gone: true };
        }
        throw err;
      }
    },
    isDone: (state) => {
      if (!state.gone) {
        progress.status(seen.status);
      }
      return state.gone;
    },
    startMs: options.startMs,
    timeoutMs: options.timeoutMs,
    schedule: runtime.schedule,
    clock: runtime.clock,
    retryDelayMs: atlasRetryDelayMs,
    onRetry: (err) => progress.eventOnce(`read failed, retrying: ${errorMessage(err)}`),
  }).catch((err: unknown) => {
    throw withContext(`Failed to confirm the deletion of ${options.subject}`, err);
  });

  if (!result.done) {
    const lastError = result.lastError === undefined ? "" : ` The last read failed: ${errorMessage(result.lastError)}.`;
    throw new Error(
      `Timed out after ${formatDuration(result.elapsedMs)} waiting for Atlas to delete ${options.subject}: ` +
        `the last status was ${seen.status ?? "not reported"}.${lastError} Raise timeouts.delete to wait longer; ` +
        "the resource stays in the stack state until a delete completes.",
    );
  }
  progress.event("deleted");
}
