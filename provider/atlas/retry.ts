/** Retry limits of an AtlasClient. Durations are in milliseconds. */
export interface RetryOptions {
  /** Attempts per API call in all, the first one included; 1 turns retries off. Defaults to 5. */
  maxAttempts?: number;
  /**
   * Time in milliseconds from the start of a call within which every retry must start, waits included. A wait
   * that would end later is not started. Defaults to 300000 (5 minutes).
   */
  maxElapsedMs?: number;
  /** Upper bound in milliseconds of the first backoff wait, doubled for each later retry. Defaults to 1000. */
  baseDelayMs?: number;
  /** Upper bound in milliseconds of any one backoff wait. Defaults to 30000. A Retry-After wait may be longer. */
  maxDelayMs?: number;
}

/** {@link RetryOptions} with every value set. */
export type RetrySettings = Required<RetryOptions>;

/** Retry limits for options left out: 5 attempts within 5 minutes, backoff ceilings from 1 s doubling up to 30 s. */
export const DEFAULT_RETRY_SETTINGS: Readonly<RetrySettings> = Object.freeze({
  maxAttempts: 5,
  maxElapsedMs: 300_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
});

/**
 * Time and randomness of the retry loop, which tests replace to check waits without waiting. `sleep` and `now` use
 * milliseconds, and `random` returns a number in [0, 1).
 */
export interface RetryRuntime {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The wall clock, `setTimeout` and `Math.random`. */
export const SYSTEM_RETRY_RUNTIME: RetryRuntime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Fills the parts of `runtime` left out with {@link SYSTEM_RETRY_RUNTIME}, calling the given ones as its methods. */
export function completeRetryRuntime(runtime: Partial<RetryRuntime>): RetryRuntime {
  return {
    now: () => (runtime.now === undefined ? SYSTEM_RETRY_RUNTIME.now() : runtime.now()),
    sleep: (ms) => (runtime.sleep === undefined ? SYSTEM_RETRY_RUNTIME.sleep(ms) : runtime.sleep(ms)),
    random: () => (runtime.random === undefined ? SYSTEM_RETRY_RUNTIME.random() : runtime.random()),
  };
}

/** Applies the defaults to `options`. Throws an Error naming the option when a value is out of range. */
export function resolveRetrySettings(options: RetryOptions | undefined): RetrySettings {
  const settings: RetrySettings = { ...DEFAULT_RETRY_SETTINGS };
  for (const [name, value] of Object.entries(options ?? {}) as [keyof RetrySettings, number | undefined][]) {
    if (value !== undefined) {
      settings[name] = value;
    }
  }
  if (!Number.isSafeInteger(settings.maxAttempts) || settings.maxAttempts < 1) {
    throw new Error(
      `Invalid Atlas retry option maxAttempts ${settings.maxAttempts}: it must be an integer of 1 or more.`,
    );
  }
  for (const name of ["maxElapsedMs", "baseDelayMs", "maxDelayMs"] as const) {
    const value = settings[name];
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`Invalid Atlas retry option ${name} ${value}: it must be a number of milliseconds of 0 or more.`);
    }
  }
  return settings;
}

/**
 * Returns the wait in whole milliseconds before retry number `retry` (counting from 1): exponential backoff with full
 * jitter, a random share given by `random()` of `baseDelayMs * 2^(retry - 1)`, capped at `maxDelayMs`.
 */
export function backoffDelayMs(retry: number, settings: RetrySettings, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Returns true when a response with HTTP `status` to `method` may be retried. 429 and 503 mean that Atlas did not
 * process the request, so every method may retry them. 408 and the other 5xx statuses are retried for GET and DELETE
 * only, because a POST may have been processed.
 */
export function isRetryableStatus(method: string, status: number): boolean {
  if (status === 429 || status === 503) {
    return true;
  }
  const transient = status === 408 || (status >= 500 && status <= 599);
  return transient && isIdempotent(method);
}

/**
 * Returns true for the statuses that {@link isRetryableStatus} retries for some method: 408, 429 and every 5xx.
 * Callers that retry at a higher level use it to tell a passing outage from a final response.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Returns true for the methods whose repetition has the same effect as one request: GET and DELETE here. */
export function isIdempotent(method: string): boolean {
  return method === "GET" || method === "DELETE";
}

// Error codes of a connection that failed before any byte of the request was sent.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

// Error codes of a connection that broke after the request may have been sent.
const MAYBE_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

// urllib reports its own time limits by error name instead of a code.
const CONNECT_TIMEOUT_NAMES: ReadonlySet<string> = new Set(["HttpClientConnectTimeoutError"]);

/** How far a request that failed without a response got. */
export type NetworkFailure = "not-sent" | "maybe-sent" | "unknown";

/**
 * Classifies a transport error by the first known code or name in its cause chain. It is `not-sent` for a connection
 * that was refused or never established, and `maybe-sent` for a reset, a broken pipe or a time limit. Anything else,
 * such as a digest challenge this client cannot respond to, is `unknown` and not retried.
 */
export function classifyNetworkError(err: unknown, timedOut: boolean): NetworkFailure {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (CONNECT_TIMEOUT_NAMES.has(current.name) || (typeof code === "string" && NOT_SENT_CODES.has(code))) {
      return "not-sent";
    }
    if (typeof code === "string" && MAYBE_SENT_CODES.has(code)) {
      return "maybe-sent";
    }
    current = current.cause;
  }
  const name = err instanceof Error ? err.name : "";
  return timedOut || name === "HttpClientRequestTimeoutError" ? "maybe-sent" : "unknown";
}

/**
 * Returns the wait in whole seconds that a `Retry-After` header requests: its value when it is a number of seconds,
 * or the seconds from `nowMs` until its HTTP date, rounded up and at least 0. Returns undefined when the header is
 * absent or neither form.
 */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === "") {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Formats milliseconds as seconds with one decimal, such as `55.0s`, the form of the retry log line. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The facts about one failed attempt that the retry policy decides on. */
export interface RetryableFailure {
  /** True when the policy allows another attempt after this failure. */
  retryable: boolean;
  /** Reason, for the error message, that a failure retried for other methods is not retried here. */
  notRetriedReason?: string;
  /** The wait that Atlas asked for with Retry-After or in the detail text, in milliseconds. */
  retryAfterMs?: number;
}

/** The decision after a failed attempt: wait `delayMs` milliseconds and retry, or stop with a closing sentence. */
export type RetryStep = { stop: false; delayMs: number } | { stop: true; note: string | undefined };

/**
 * Applies the retry limits in `settings` to failed attempt number `attempt` of a call that has run for `elapsedMs`
 * milliseconds: returns the wait before the next attempt (the Retry-After wait, else backoff with `random`), or a stop
 * with the sentence the final error ends with.
 */
export function nextRetryStep(
  failed: RetryableFailure,
  attempt: number,
  elapsedMs: number,
  settings: RetrySettings,
  random: () => number,
): RetryStep {
  const attemptsText = `${attempt} ${attempt === 1 ? "attempt" : "attempts"} over ${formatSeconds(elapsedMs)}`;
  if (!failed.retryable) {
    const notes = [attempt > 1 ? `Made ${attemptsText}.` : undefined, failed.notRetriedReason];
    const note = notes.filter((text) => text !== undefined).join(" ");
    return { stop: true, note: note === "" ? undefined : note };
  }
  if (attempt >= settings.maxAttempts) {
    const note =
      settings.maxAttempts === 1
        ? undefined
        : `Gave up after ${attemptsText}; raise mongodbatlas:maxRetries (MONGODB_ATLAS_MAX_RETRIES) to retry more.`;
    return { stop: true, note };
  }

  // NOTE: a Retry-After wait has no jitter, so parallel calls that Atlas rate-limited together retry together.
  const delayMs = failed.retryAfterMs ?? backoffDelayMs(attempt, settings, random);
  if (elapsedMs + delayMs > settings.maxElapsedMs) {
    const wait = failed.retryAfterMs === undefined ? "the next wait" : "the Retry-After wait";
    const limit = `${formatSeconds(settings.maxElapsedMs)} (mongodbatlas:retryTimeout)`;
    return {
      stop: true,
      note:
        `Gave up after ${attemptsText}, because ${wait} of ${formatSeconds(delayMs)} would pass ` +
        `the retry time limit of ${limit}.`,
    };
  }
  return { stop: false, delayMs };
}
