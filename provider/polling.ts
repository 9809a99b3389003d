/**
 * Delays between polls. The delay before poll number n (counting from 0) is the larger of `initialDelayMs` times
 * `multiplier` to the power n and `elapsedRatio` times the time since the wait started, and at most `maxDelayMs`.
 */
export interface PollSchedule {
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  /** Minimum delay as a share of the time waited so far, such as 0.1. Unset or 0 sets no such minimum. */
  elapsedRatio?: number;
}

/**
 * Polls every second for the first 10 s, then every tenth of the time waited so far, at most every 15 s. A change is
 * therefore noticed within 1 s or a tenth of the time waited, whichever is longer, and never more than 15 s late. A
 * link that takes 2 minutes is read 37 times, and a longer wait adds 4 reads a minute after the first 150 s.
 */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  initialDelayMs: 1000,
  multiplier: 1,
  maxDelayMs: 15000,
  elapsedRatio: 0.1,
};

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

/**
 * Returns the delay in whole milliseconds before poll number `attempt` (counting from 0) under `schedule`, when
 * `elapsedMs` have passed since the wait started. Without `elapsedMs` the delay only grows with `attempt`.
 */
export function backoffDelayMs(attempt: number, schedule: PollSchedule, elapsedMs = 0): number {
  const grown = schedule.initialDelayMs * schedule.multiplier ** attempt;
  const proportional = (schedule.elapsedRatio ?? 0) * Math.max(0, elapsedMs);
  return Math.round(Math.min(schedule.maxDelayMs, Math.max(grown, proportional)));
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
    const delayMs = backoffDelayMs(attempt, schedule, clock.now() - options.startMs);
    await clock.sleep(Math.min(Math.max(delayMs, minDelayMs), remaining));

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
