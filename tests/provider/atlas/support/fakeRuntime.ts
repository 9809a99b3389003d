import type { RetryRuntime } from "../../../../provider/atlas";

/**
 * A retry runtime whose clock moves only when slept on or advanced by a test, and whose random source returns
 * `randomValue`. Every sleep is recorded in milliseconds.
 */
export class FakeRetryRuntime implements RetryRuntime {
  readonly sleeps: number[] = [];
  /** Current time in milliseconds: a whole second, so an HTTP date round trip keeps it exact. */
  currentMs = Date.UTC(2030, 0, 1);
  randomValue = 0.5;
  /** Runs at the start of every sleep, before the clock moves; tests use it to change the server between attempts. */
  onSleep: (ms: number) => Promise<void> | void = () => undefined;

  readonly now = (): number => this.currentMs;

  readonly random = (): number => this.randomValue;

  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    await this.onSleep(ms);
    this.currentMs += ms;
  };
}
