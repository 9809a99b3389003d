import { atlasStatusCode, isAtlasNotFound } from "./atlasAccess";
import { errorMessage, withContext } from "./errors";
import type { NotFoundTarget } from "./notFound";
import { confirmNotFound, isUnconfirmedNotFound, pollRetryDelayMs } from "./notFound";
import { pollUntil } from "./polling";
import type { ProgressLog } from "./progress";
import type { ProviderRuntime } from "./providerOptions";
import { formatDuration } from "./timeouts";

/**
 * Inputs of {@link deleteAndWaitUntilGone}: how to delete one Atlas object and how to watch it disappear. The
 * {@link NotFoundTarget} fields name the object and let a 404 be confirmed.
 */
export interface DeletionOptions extends NotFoundTarget {
  /** Sends the DELETE request. */
  remove: () => Promise<void>;
  /** Reads the object's current status; rejects with an Atlas 404 error once the object is gone. */
  readStatus: () => Promise<string | null | undefined>;
  /** Says what a status waits on, such as `which means Atlas is still ...`, for the timeout message. */
  describeStatus?: (status: string) => string | undefined;
  /**
   * Handles a DELETE that fails with HTTP 409: resolves `"retry"` to send the DELETE again, or `"gone"` when the
   * object no longer exists. It must wait before resolving `"retry"` and reject at the deadline. Without it, a 409
   * rejects like any other failed DELETE.
   */
  onConflict?: (conflict: unknown) => Promise<"retry" | "gone">;
  /** Maximum wait in milliseconds, counted from `startMs`. */
  timeoutMs: number;
  /** Start of the delete as a `runtime.clock.now()` value in milliseconds. */
  startMs: number;
  runtime: ProviderRuntime;
  progress: ProgressLog;
}

/**
 * Deletes an Atlas object and polls until reading it returns 404. A 404 from the DELETE counts as already deleted, and
 * a 409 goes to `onConflict` when set. Each 404 counts only once {@link confirmNotFound} confirms it, and otherwise
 * rejects with its error. Rejects with an Error naming the subject on any other failed call, and on timeout with the
 * time elapsed and the last status seen. Prints a progress line with the error before rejecting.
 */
export async function deleteAndWaitUntilGone(options: DeletionOptions): Promise<void> {
  try {
    await deleteAndWait(options);
  } catch (err) {
    options.progress.event(`delete failed: ${errorMessage(err)}`);
    throw err;
  }
}

async function deleteAndWait(options: DeletionOptions): Promise<void> {
  const { progress, runtime } = options;
  progress.event(`deleting, waiting up to ${formatDuration(options.timeoutMs)}`);
  if ((await sendDelete(options)) === "gone") {
    return;
  }

  const seen: { status?: string | null } = {};
  const result = await pollUntil<{ gone: boolean }>({
    fetch: async () => {
      try {
        seen.status = await options.readStatus();
        return { gone: false };
      } catch (err) {
        if (isAtlasNotFound(err)) {
          await confirmNotFound(options);
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
    retryDelayMs: pollRetryDelayMs,
    onRetry: (err) => progress.eventOnce(`read failed, retrying: ${errorMessage(err)}`),
  }).catch((err: unknown) => {
    if (isUnconfirmedNotFound(err)) {
      throw err;
    }
    throw withContext(`Failed to confirm the deletion of ${options.subject}`, err);
  });

  if (!result.done) {
    const lastError = result.lastError === undefined ? "" : ` The last read failed: ${errorMessage(result.lastError)}.`;
    throw new Error(
      `Timed out after ${formatDuration(result.elapsedMs)} waiting for Atlas to delete ${options.subject}: ` +
        `${describeLastStatus(seen.status, options.describeStatus)}.${lastError} Raise timeouts.delete to wait ` +
        "longer; the resource stays in the stack state until a delete completes.",
    );
  }
  progress.event("deleted");
}

/**
 * Sends the DELETE, and again after each 409 that `onConflict` resolves with "retry". Resolves "gone" when nothing is
 * left to wait for: after a confirmed 404, or when `onConflict` resolves "gone".
 */
async function sendDelete(options: DeletionOptions): Promise<"sent" | "gone"> {
  for (;;) {
    try {
      await options.remove();
      return "sent";
    } catch (err) {
      if (isAtlasNotFound(err)) {
        await confirmNotFound(options);
        options.progress.event("was already deleted");
        return "gone";
      }
      if (options.onConflict === undefined || atlasStatusCode(err) !== 409) {
        throw withContext(`Failed to delete ${options.subject}`, err);
      }
      if ((await options.onConflict(err)) === "gone") {
        options.progress.event("deleted");
        return "gone";
      }
    }
  }
}

function describeLastStatus(
  status: string | null | undefined,
  describe: ((status: string) => string | undefined) | undefined,
): string {
  if (status === undefined) {
    return "no read returned the object";
  }
  if (status === null) {
    return "Atlas reported no status";
  }
  const meaning = describe?.(status);
  return `the last status was ${status}${meaning === undefined ? "" : `, ${meaning}`}`;
}
