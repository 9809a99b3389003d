import * as pulumi from "@pulumi/pulumi";
import * as provider from "../provider/lazyInterfaceLinkProvider";
import type { ConnectionStatus, Timeouts, TimeoutsArgs } from "./types";

const OUTPUT_KEYS = [
  "projectId",
  "privateLinkId",
  "interfaceEndpointId",
  "timeouts",
  "adoptExisting",
  "connectionStatus",
  "deleteRequested",
  "errorMessage",
] as const;

/** Arguments of a {@link PrivateEndpointInterfaceLink}; changing any id replaces the link. */
export interface PrivateEndpointInterfaceLinkArgs {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: pulumi.Input<string>;
  /** Id of the Atlas AWS endpoint service, such as {@link PrivateEndpoint.privateLinkId}. */
  privateLinkId: pulumi.Input<string>;
  /** Id of the AWS interface VPC endpoint, such as `vpce-0a1b2c3d4e5f60718`. */
  interfaceEndpointId: pulumi.Input<string>;
  /** How long create and delete may wait; by default 2 hours and 1 hour. Changing it alone updates in place. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /**
   * When true, a create that finds this link already in Atlas (Atlas returns 409) adopts it and waits until it is
   * AVAILABLE, instead of failing. An adopted link is managed like a created one: `pulumi destroy` deletes it. Only a
   * create reads this flag, so changing it alone updates in place. Default false.
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * Link between an Atlas AWS endpoint service and an AWS interface VPC endpoint. Creating it waits until Atlas reports
 * connection status AVAILABLE, which requires the AWS side to accept the connection. Credentials come from the stack
 * config `mongodbatlas:publicKey` and `mongodbatlas:privateKey`, or from `MONGODB_ATLAS_PUBLIC_KEY` and
 * `MONGODB_ATLAS_PRIVATE_KEY`. The id is `{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS`.
 */
export class PrivateEndpointInterfaceLink extends pulumi.dynamic.Resource {
  /** Atlas project id of the link. */
  declare readonly projectId: pulumi.Output<string>;
  /** Id of the Atlas AWS endpoint service that the link belongs to. */
  declare readonly privateLinkId: pulumi.Output<string>;
  /** Id of the linked AWS interface VPC endpoint. */
  declare readonly interfaceEndpointId: pulumi.Output<string>;
  /** Timeouts as set in the arguments; undefined when none were set. */
  declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
  /** The `adoptExisting` input; undefined when unset. */
  declare readonly adoptExisting: pulumi.Output<boolean | undefined>;
  /** Connection status as Atlas last reported it; null when Atlas reported none. */
  declare readonly connectionStatus: pulumi.Output<ConnectionStatus | null>;
  /** True once a delete of the link has been requested in Atlas. */
  declare readonly deleteRequested: pulumi.Output<boolean>;
  /** Atlas's error message for the link; null when Atlas reports no error. */
  declare readonly errorMessage: pulumi.Output<string | null>;

  /** Declares a link; the provider validates the arguments during preview. */
  constructor(name: string, args: PrivateEndpointInterfaceLinkArgs, opts?: pulumi.CustomResourceOptions) {
    // Only keys present in the props become outputs, so every output is declared, in a new object per resource.
    const props: pulumi.Inputs = { ...Object.fromEntries(OUTPUT_KEYS.map((key) => [key, undefined])), ...args };
    // The same provider for every link: the exports of provider/lazyInterfaceLinkProvider, which load the provider code
    // at their first call. It contains no credentials.
    super(provider, name, props, opts, "atlas-privatelink", "PrivateEndpointInterfaceLink");
  }

  /**
   * Reads an existing link into the program by its id, `{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS`,
   * such as `5f0a1b2c3d4e5f6a7b8c9d0e--6a0b1c2d3e4f5a6b7c8d9e0f--vpce-0a1b2c3d4e5f60718--AWS`. The resource is
   * read-only: `pulumi up` refreshes its outputs and `pulumi destroy` leaves the link in Atlas (use the `adoptExisting`
   * input to manage an existing link instead). The deployment fails when the id does not parse, with a message that
   * shows the format and an example, or when Atlas does not have the link.
   *
   * @example
   * const link = PrivateEndpointInterfaceLink.get(
   *   "existing",
   *   "5f0a1b2c3d4e5f6a7b8c9d0e--6a0b1c2d3e4f5a6b7c8d9e0f--vpce-0a1b2c3d4e5f60718--AWS",
   * );
   * export const status = link.connectionStatus;
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
  ): PrivateEndpointInterfaceLink {
    // The provider's read takes the ids from the resource id, so no argument is needed.
    return new PrivateEndpointInterfaceLink(name, {} as PrivateEndpointInterfaceLinkArgs, { ...opts, id });
  }
}
