import type { AtlasApi } from "./atlas";
import type { Clock, PollSchedule } from "./polling";
import { DEFAULT_POLL_SCHEDULE, SYSTEM_CLOCK } from "./polling";
import type { LogWriter } from "./progress";
import { CONSOLE_LOG } from "./progress";

/**
 * Settings of a provider instance. The defaults suit real Atlas and the overrides exist for tests. None of them may
 * hold credentials or large data, because the instance is serialized into the stack state.
 */
export interface ProviderOptions {
  /** Client to call instead of an AtlasClient built from the resolved credentials. */
  api?: AtlasApi;
  /** Delays between polls; defaults to {@link DEFAULT_POLL_SCHEDULE}. */
  schedule?: PollSchedule;
  /** Time source for polling and elapsed times; defaults to the wall clock. */
  clock?: Clock;
  /** Destination of progress lines and of the Atlas client's retry lines; defaults to `console.log`. */
  log?: LogWriter;
}

/** The polling and logging settings of {@link ProviderOptions}, with defaults applied. */
export interface ProviderRuntime {
  schedule: PollSchedule;
  clock: Clock;
  log: LogWriter;
}

/** Applies the defaults to the polling and logging settings of `options`. */
export function providerRuntime(options: ProviderOptions): ProviderRuntime {
  return {
    schedule: options.schedule ?? DEFAULT_POLL_SCHEDULE,
    clock: options.clock ?? SYSTEM_CLOCK,
    log: options.log ?? CONSOLE_LOG,
  };
}
