import type { PollSchedule } from "../provider/polling";
import { backoffDelayMs } from "../provider/polling";

/** Polls and latency a poll schedule implies for a change `changeAfterMs` after the request, request times left out. */
export interface ScheduleModel {
  changeAfterMs: number;
  /** Polls up to and including the first one at or after the change. */
  polls: number;
  /** Time of that poll minus the change. */
  latencyMs: number;
  /** The gap between the polls around the change: the largest latency for a change at about this time. */
  worstLatencyMs: number;
  /** `worstLatencyMs` over the time of the poll that notices such a change. */
  worstLatencyShare: number;
}

/** Returns the poll times in milliseconds after the request, up to the first one at or after `untilMs`. */
export function pollTimesMs(schedule: PollSchedule, untilMs: number): number[] {
  const times: number[] = [];
  let elapsed = 0;
  for (let attempt = 0; elapsed < untilMs; attempt++) {
    elapsed += backoffDelayMs(attempt, schedule, elapsed);
    times.push(elapsed);
  }
  return times;
}

/** Models the polls that notice a change at `changeAfterMs` (above 0) under `schedule`. */
export function modelChange(schedule: PollSchedule, changeAfterMs: number): ScheduleModel {
  const times = pollTimesMs(schedule, changeAfterMs);
  const noticedMs = times[times.length - 1];
  const previousMs = times.length > 1 ? times[times.length - 2] : 0;
  const gapMs = noticedMs - previousMs;
  return {
    changeAfterMs,
    polls: times.length,
    latencyMs: noticedMs - changeAfterMs,
    worstLatencyMs: gapMs,
    worstLatencyShare: gapMs / noticedMs,
  };
}
