import type * as pulumi from "@pulumi/pulumi";

/**
 * How long a create or delete may wait for Atlas. A number is minutes; a string is hours, minutes and seconds in that
 * order, such as `"90s"`, `"45m"`, `"2h"` or `"1h30m"`. Unset fields take the resource's default.
 */
export interface TimeoutsArgs {
  /** How long a create may wait for Atlas to finish: minutes, or a duration string. */
  create?: pulumi.Input<string | number>;
  /** How long a delete may wait for Atlas to finish: minutes, or a duration string. */
  delete?: pulumi.Input<string | number>;
}

export type { Timeouts } from "../provider/timeouts";

/** Connection status of an interface endpoint link as Atlas reports it. */
export const ConnectionStatus = {
  /** Atlas created its load balancer and endpoint service, but AWS has not created the VPC endpoint (legacy API). */
  None: "NONE",
  /** AWS received the connection request from the VPC endpoint, and the AWS side has yet to accept it. */
  PendingAcceptance: "PENDING_ACCEPTANCE",
  /** AWS is establishing the connection. */
  Pending: "PENDING",
  /** Connected: clusters in the region are reachable over PrivateLink. */
  Available: "AVAILABLE",
  /** AWS failed to establish the connection. */
  Rejected: "REJECTED",
  /** Atlas is removing the interface endpoint from the endpoint service. */
  Deleting: "DELETING",
} as const;

/**
 * One of the documented {@link ConnectionStatus} values. The provider stores whatever Atlas reports, so a status that
 * Atlas adds later arrives unchanged. Compare against these values instead of assuming the list is complete.
 */
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

/** Status of an Atlas AWS endpoint service as Atlas reports it. */
export const EndpointServiceStatus = {
  /** Atlas is creating the network load balancer and the VPC endpoint service. */
  Initiating: "INITIATING",
  /** The endpoint service is ready: create an interface VPC endpoint for it next. */
  WaitingForUser: "WAITING_FOR_USER",
  /** The endpoint service has connected interface endpoints. */
  Available: "AVAILABLE",
  /** A system failure occurred. */
  Failed: "FAILED",
  /** The endpoint service is being deleted. */
  Deleting: "DELETING",
} as const;

/**
 * One of the documented {@link EndpointServiceStatus} values. As with {@link ConnectionStatus}, a status that Atlas
 * adds later arrives unchanged.
 */
export type EndpointServiceStatus = (typeof EndpointServiceStatus)[keyof typeof EndpointServiceStatus];
