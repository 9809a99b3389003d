import type { Clock } from "./polling";
import { formatDuration } from "./timeouts";

/** Writes one log line. The provider process's stdout reaches the user as info messages during `pulumi up`. */
export type LogWriter = (line: string) => void;

/** Prints each line with `console.log`. */
export const CONSOLE_LOG: LogWriter = (line) => console.log(line);

/**
 * Prints progress lines for one resource: each change of its status, and events such as retries, each with the time
 * elapsed since `startMs` (a `clock.now()` value in milliseconds). Lines carry the label with the ids and the caller's
 * text, so callers must not pass credentials.
 */
export class ProgressLog {
  private readonly label: string;
  private readonly startMs: number;
  private readonly clock: Clock;
  private readonly write: LogWriter;
  private lastStatus: string | undefined;
  private lastEventMessage: string | undefined;

  /** Starts a log for the resource named by `label`, such as `PrivateEndpointInterfaceLink <ids>`. */
  constructor(label: string, startMs: number, clock: Clock, write: LogWriter) {
    this.label = label;
    this.startMs = startMs;
    this.clock = clock;
    this.write = write;
    this.lastStatus = undefined;
    this.lastEventMessage = undefined;
  }

  /** Prints `<label> <old> -> <new> after <elapsed>` when `status` differs from the last one seen, or the first one. */
  status(status: string | null | undefined): void {
    const current = status ?? "(no status)";
    if (current === this.lastStatus) {
      return;
    }
    const transition = this.lastStatus === undefined ? `status ${current}` : `${this.lastStatus} -> ${current}`;
    this.lastStatus = current;
    this.write(`${this.label} ${transition} after ${this.elapsed()}`);
  }

  /** Prints `<label> <message> (<elapsed> elapsed)`. */
  event(message: string): void {
    this.write(`${this.label} ${message} (${this.elapsed()} elapsed)`);
  }

  /** Prints like {@link event}, but skips a message equal to the previous one printed through this method. */
  eventOnce(message: string): void {
    if (message === this.lastEventMessage) {
      return;
    }
    this.lastEventMessage = message;
    this.event(message);
  }

  private elapsed(): string {
    return formatDuration(this.clock.now() - this.startMs);
  }
}
