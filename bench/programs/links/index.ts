import * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

// One endpoint service and `linkCount` links to it. The link with index i attaches the VPC endpoint id
// vpce-<i as 17 hex digits>. With `noopProviders` true the program declares dynamic resources of the same shape whose
// provider only returns its inputs. Such a run measures the engine and Pulumi's dynamic provider process alone.
const config = new pulumi.Config();
const projectId = config.require("projectId");
const linkCount = config.requireNumber("linkCount");
const noopProviders = config.getBoolean("noopProviders") ?? false;

const interfaceEndpointIds = Array.from(
  { length: linkCount },
  (_, index) => `vpce-${index.toString(16).padStart(17, "0")}`,
);

const noopProvider: pulumi.dynamic.ResourceProvider = {
  create: (inputs: Record<string, unknown>) =>
    Promise.resolve({
      id: String(inputs.name),
      outs: { ...inputs, privateLinkId: "0123456789abcdef01234567", connectionStatus: "AVAILABLE" },
    }),
};

/** A resource of the no-op provider with the outputs that the program reads from the package's resources. */
class NoopResource extends pulumi.dynamic.Resource {
  declare readonly privateLinkId: pulumi.Output<string>;
  declare readonly connectionStatus: pulumi.Output<string>;

  constructor(name: string, props: Record<string, pulumi.Input<string>>) {
    super(noopProvider, name, { name, privateLinkId: undefined, connectionStatus: undefined, ...props });
  }
}

const statuses: pulumi.Output<string | null>[] = [];
if (linkCount > 0 && noopProviders) {
  const service = new NoopResource("endpoint-service", { projectId, region: "us-east-1" });
  for (const interfaceEndpointId of interfaceEndpointIds) {
    const link = new NoopResource(interfaceEndpointId, {
      projectId,
      privateLinkId: service.privateLinkId,
      interfaceEndpointId,
    });
    statuses.push(link.connectionStatus);
  }
} else if (linkCount > 0) {
  const service = new atlas.PrivateEndpoint("endpoint-service", {
    projectId,
    providerName: "AWS",
    region: "us-east-1",
  });
  for (const interfaceEndpointId of interfaceEndpointIds) {
    const link = new atlas.PrivateEndpointInterfaceLink(interfaceEndpointId, {
      projectId,
      privateLinkId: service.privateLinkId,
      interfaceEndpointId,
    });
    statuses.push(link.connectionStatus);
  }
}

/** Number of links whose connection status is AVAILABLE after the update. */
export const availableLinks = pulumi
  .all(statuses)
  .apply((values) => values.filter((status) => status === "AVAILABLE").length);
