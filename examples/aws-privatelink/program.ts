import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

/** The AWS network in which the program creates the interface VPC endpoint. */
export interface NewVpcEndpointSettings {
  /** Id of the VPC, such as `vpc-0a1b2c3d4e5f60718`. */
  vpcId: string;
  /** Subnets to place the endpoint's network interfaces in, one per availability zone. */
  subnetIds: string[];
  /** Security groups attached to the endpoint's network interfaces. */
  securityGroupIds: string[];
}

/** An interface VPC endpoint that already exists for the endpoint service, which the program links but does not manage. */
export interface ExistingVpcEndpointSettings {
  /** Id of the VPC endpoint, such as `vpce-0a1b2c3d4e5f60718`. */
  existingVpcEndpointId: string;
}

/** Settings of {@link declareAwsPrivateLink}, read from the stack config by index.ts. */
export interface AwsPrivateLinkSettings {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: string;
  /** AWS region of the endpoint service and the VPC endpoint, such as `us-east-1`. */
  region: string;
  /** Source of the VPC endpoint: one that this program creates, or one that exists. */
  vpcEndpoint: NewVpcEndpointSettings | ExistingVpcEndpointSettings;
}

/** The resources and the lookup that {@link declareAwsPrivateLink} declares. */
export interface AwsPrivateLink {
  /** The Atlas AWS endpoint service. */
  endpointService: atlas.PrivateEndpoint;
  /** The interface VPC endpoint, or undefined when the settings name an existing one. */
  vpcEndpoint: aws.ec2.VpcEndpoint | undefined;
  /** The link between the endpoint service and the VPC endpoint. */
  link: atlas.PrivateEndpointInterfaceLink;
  /** The link as a lookup reads it. */
  lookedUp: pulumi.Output<atlas.GetPrivateEndpointInterfaceLinkResult>;
}

/**
 * Declares an Atlas AWS endpoint service, an interface VPC endpoint for it (unless the settings name an existing one),
 * the link between them and a lookup of that link. Call it from a Pulumi program or from a test with Pulumi's mocks.
 */
export function declareAwsPrivateLink(settings: AwsPrivateLinkSettings): AwsPrivateLink {
  const { projectId, region } = settings;

  // The Atlas side: an AWS endpoint service that Atlas creates for the project in this region.
  const endpointService = new atlas.PrivateEndpoint("atlas-endpoint-service", {
    projectId,
    providerName: "AWS",
    region,
  });

  // The AWS side: an interface VPC endpoint pointing at the Atlas endpoint service. Its id is an input of the link,
  // so Pulumi creates the link after the VPC endpoint and deletes it before.
  let vpcEndpoint: aws.ec2.VpcEndpoint | undefined;
  let interfaceEndpointId: pulumi.Input<string>;
  if ("existingVpcEndpointId" in settings.vpcEndpoint) {
    interfaceEndpointId = settings.vpcEndpoint.existingVpcEndpointId;
  } else {
    vpcEndpoint = new aws.ec2.VpcEndpoint("atlas-vpc-endpoint", {
      vpcId: settings.vpcEndpoint.vpcId,
      serviceName: endpointService.endpointServiceName.apply((name) => name ?? ""),
      vpcEndpointType: "Interface",
      subnetIds: settings.vpcEndpoint.subnetIds,
      securityGroupIds: settings.vpcEndpoint.securityGroupIds,
    });
    interfaceEndpointId = vpcEndpoint.id;
  }

  // The link between them, which Atlas reports as AVAILABLE once AWS has accepted the connection.
  const link = new atlas.PrivateEndpointInterfaceLink("atlas-interface-link", {
    projectId,
    privateLinkId: endpointService.privateLinkId,
    interfaceEndpointId,
  });

  // A lookup of the same link, as another program that does not manage it would read it.
  const lookedUp = atlas.getPrivateEndpointInterfaceLinkOutput({
    projectId: link.projectId,
    privateLinkId: link.privateLinkId,
    interfaceEndpointId: link.interfaceEndpointId,
  });

  return { endpointService, vpcEndpoint, link, lookedUp };
}
