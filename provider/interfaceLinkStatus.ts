import { errorMessage } from "./errors";
import { formatDuration } from "./timeouts";

/** The connectionStatus of a usable link, which ends a create. */
export const READY_STATUS = "AVAILABLE";

/**
 * Meaning of each connectionStatus in which a create keeps waiting. Any other status ends the create at once with the
 * value in the message, also a status Atlas does not document. The end of such a status is unknown, so failing fast
 * with the value beats waiting up to the two-hour default timeout on it. The link stays in the stack state as a
 * partial failure, so the next pulumi up or destroy handles it.
 */
const WAITING_STATUS_MEANINGS: Record<string, string> = {
  NONE: "which waits for AWS to create the VPC endpoint",
  PENDING_ACCEPTANCE:
    "which waits for the AWS side to accept the connection request (check the interface VPC endpoint in AWS)",
  PENDING: "which waits for AWS to establish the connection",
};

/**
 * Returns why a create must stop waiting for a link with this connectionStatus and errorMessage, or undefined while
 * it is AVAILABLE without an error or in a status that may still end AVAILABLE. A null status means Atlas sent none.
 */
export function linkFailure(status: string | null, atlasError: string | null): string | undefined {
  if (atlasError !== null) {
    return `Atlas reported an error with connectionStatus ${status ?? "(none)"}: ${atlasError}`;
  }
  if (status === null) {
    return "Atlas returned the link without a connectionStatus, so its state is unknown";
  }
  if (status === READY_STATUS || WAITING_STATUS_MEANINGS[status] !== undefined) {
    return undefined;
  }
  if (status === "REJECTED") {
    return "Atlas reported connectionStatus REJECTED: AWS failed to establish the connection";
  }
  if (status === "DELETING") {
    return (
      "Atlas reported connectionStatus DELETING: Atlas is removing the interface endpoint, so it cannot become " +
      "AVAILABLE"
    );
  }
  return `Atlas reported connectionStatus "${status}", which this package does not know`;
}

/**
 * Describes a create that timed out: the elapsed time, the last connectionStatus and what that status waits on, and
 * the error of the last read when it failed.
 */
export function linkTimeoutProblem(status: string | null, elapsedMs: number, lastError: unknown): string {
  let statusText = "Atlas has not reported a connectionStatus";
  if (status !== null) {
    const meaning = WAITING_STATUS_MEANINGS[status];
    statusText = `connectionStatus is still ${status}${meaning === undefined ? "" : `, ${meaning}`}`;
  }
  const errorText = lastError === undefined ? "" : ` The last read failed: ${errorMessage(lastError)}.`;
  return (
    `timed out after ${formatDuration(elapsedMs)} waiting for connectionStatus ${READY_STATUS}: ${statusText}.` +
    `${errorText} Raise timeouts.create to wait longer.`
  );
}

/** Says what a link's connectionStatus waits on during a delete, for the timeout message; undefined for others. */
export function describeDeletingLinkStatus(status: string): string | undefined {
  return status === "DELETING"
    ? "which means Atlas is still removing the interface endpoint from the endpoint service"
    : undefined;
}
