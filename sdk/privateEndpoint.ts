import * as pulumi from "@pulumi/pulumi";
import * as provider from "../provider/lazyPrivateEndpointProvider";
import type { EndpointServiceStatus, Timeouts, TimeoutsArgs } from "./types";

const OUTPUT_KEYS = [
  "projectId",
  "providerName",
  "region",
  "timeouts",
  "privateLinkId",
  "endpointServiceName",
  "status",
  "errorMessage",
  "interfaceEndpoints",
  "regionName",
] as const;

/** Arguments of a {@link PrivateEndpoint}; changing any of them except `timeouts` replaces the endpoint service. */
export interface PrivateEndpointArgs {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: pulumi.Input<string>;
  /** Cloud provider; only `AWS` is supported, which is also the default. */
  providerName?: pulumi.Input<string>;
  /** AWS region name such as `us-east-1`. */
  region: pulumi.Input<string>;
  /** How long create and delete may wait; by default 1 hour each. Changing it alone updates in place. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

/**
 * Atlas AWS endpoint service (a private endpoint) in one region of a project. Creating it waits until Atlas reports a
 * service name and status WAITING_FOR_USER or AVAILABLE. Credentials come from the same stack config and environment
 * variables as {@link PrivateEndpointInterfaceLink}. The id is `{projectId}--{privateLinkId}--AWS--{region}`.
 */
export class PrivateEndpoint extends pulumi.dynamic.Resource {
  /** Atlas project id of the endpoint service. */
  declare readonly projectId: pulumi.Output<string>;
  /** Cloud provider of the endpoint service: `AWS`. */
  declare readonly providerName: pulumi.Output<string>;
  /** AWS region name as set in the arguments, such as `us-east-1`. */
  declare readonly region: pulumi.Output<string>;
  /** Timeouts as set in the arguments; undefined when none were set. */
  declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
  /** Id of the endpoint service, which a {@link PrivateEndpointInterfaceLink} takes as `privateLinkId`. */
  declare readonly privateLinkId: pulumi.Output<string>;
  /** AWS service name to create the interface VPC endpoint for, such as `com.amazonaws.vpce.us-east-1.vpce-svc-…`. */
  declare readonly endpointServiceName: pulumi.Output<string | null>;
  /** Status as Atlas last reported it; null when Atlas reported none. */
  declare readonly status: pulumi.Output<EndpointServiceStatus | null>;
  /** Atlas's error message for the service; null when Atlas reports no error. */
  declare readonly errorMessage: pulumi.Output<string | null>;
  /** Ids of the interface VPC endpoints attached to the service, as of the last create or refresh. */
  declare readonly interfaceEndpoints: pulumi.Output<string[]>;
  /** Atlas region name such as `US_EAST_1`. */
  declare readonly regionName: pulumi.Output<string | null>;

  /** Declares an endpoint service; the provider validates the arguments during preview. */
  constructor(name: string, args: PrivateEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    // Only keys present in the props become outputs, so every output is declared, in a new object per resource.
    const props: pulumi.Inputs = { ...Object.fromEntries(OUTPUT_KEYS.map((key) => [key, undefined])), ...args };
    // The same provider for every endpoint service: the exports of provider/lazyPrivateEndpointProvider, which load
    // the provider code at their first call. It contains no credentials.
    super(provider, name, props, opts, "atlas-privatelink", "PrivateEndpoint");
  }

  /**
   * Adopts an existing endpoint service into the stack by its id, `{projectId}--{privateLinkId}--AWS--{region}`.
   * The provider reads every property from Atlas; the deployment fails when the id does not parse or Atlas returns 404.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PrivateEndpoint {
    // The provider's read takes the ids from the resource id, so no argument is needed.
    return new PrivateEndpoint(name, {} as PrivateEndpointArgs, { ...opts, id });
  }
}
