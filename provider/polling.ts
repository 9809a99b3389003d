/** Delays between polls: the first is `initialDelayMs`, each next one `multiplier` times longer, up to `maxDelayMs`. */
export interface PollSchedule {
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
}

/** Starts at 1 s and grows by half each time up to 15 s, so a link that is ready quickly is seen quickly. */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialDelayMs: 1000, multiplier: 1.5, maxDelayMs: 15000 };

/** Time source for waits, in milliseconds; tests replace it to run without real delays. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock: `Date.now()` and `setTimeout`. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Returns the delay in whole milliseconds before poll number `attempt` (counting from 0) under `schedule`. */
export function backoffDelayMs(attempt: number, schedule: PollSchedule): number {
  const grown = schedule.initialDelayMs * schedule.multiplier ** attempt;
  return Math.round(Math.min(schedule.maxDelayMs, grown));
}

/** Inputs of {@link pollUntil}: how to read the state, when to stop, and how long the wait may take. */
export interface PollOptions<T> {
  /** Reads the current state. */
  fetch: () => Promise<T>;
  /** Returns true when the wait is over, false to poll again; an error it throws ends the wait unchanged. */
  isDone: (value: T) => boolean;
  /** Start of the wait as a `clock.now()` value in milliseconds; the deadline is `startMs + timeoutMs`. */
  startMs: number;
  timeoutMs: number;
  schedule: PollSchedule;
  clock: Clock;
  /**
   * Decides whether a rejected `fetch` is retried: returns the minimum delay in milliseconds before the next poll,
   * or undefined to end the wait with that error. Without it every rejection ends the wait.
   */
  retryDelayMs?: (error: unknown) => number | undefined;
  /** Called with each rejection that is retried and the milliseconds elapsed since `startMs`. */
  onRetry?: (error: unknown, elapsedMs: number) => void;
}

/** Result of {@link pollUntil}: `done` with the last value, or a timeout with the last poll's error if it failed. */
export type PollResult<T> =
  { done: true; value: T; elapsedMs: number } | { done: false; elapsedMs: number; lastError: unknown };

/**
 * Sleeps, then fetches and evaluates the state, until `isDone` returns true or the deadline passes. Delays follow
 * `schedule` and are cut short at the deadline, so the last poll happens at the deadline. Rejects with the error of
 * `isDone`, or of a `fetch` that `retryDelayMs` does not retry.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const { clock, schedule } = options;
  const deadline = options.startMs + options.timeoutMs;
  let lastError: unknown = undefined;
  let minDelayMs = 0;

  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      return { done: false, elapsedMs: clock.now() - options.startMs, lastError };
    }
    await clock.sleep(Math.min(Math.max(backoffDelayMs(attempt, schedule), minDelayMs), remaining));

    let value: T;
    try {
      value = await options.fetch();
    } catch (error) {
      const retryDelay = options.retryDelayMs?.(error);
      if (retryDelay === undefined) {
        throw error;
      }
      lastError = error;
      minDelayMs = retryDelay;
      options.onRetry?.(error, clock.now() - options.startMs);
      continue;
    }

    lastError = undefined;
    minDelayMs = 0;
    if (options.isDone(value)) {
      return { done: true, value, elapsedMs: clock.now() - options.startMs };
    }
  }
}
