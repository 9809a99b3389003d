import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

// Stack configuration of this program. Atlas credentials and the Atlas base URL are read by the package
// itself from mongodbatlas:publicKey, mongodbatlas:privateKey and mongodbatlas:baseUrl.
const config = new pulumi.Config();
const projectId = config.require("projectId");
const region = config.get("region") ?? "us-east-1";

// The Atlas side: an AWS endpoint service that Atlas creates for the project in this region.
const endpointService = new atlas.PrivateEndpoint("atlas-endpoint-service", {
  projectId,
  providerName: "AWS",
  region,
});

// The AWS side: an interface VPC endpoint pointing at the Atlas endpoint service. Where no AWS provider can
// run, the program links an existing endpoint whose id is set in the vpcEndpointId config key.
function vpcEndpointId(): pulumi.Input<string> {
  const existing = config.get("vpcEndpointId");
  if (existing) {
    return existing;
  }
  const vpcEndpoint = new aws.ec2.VpcEndpoint("atlas-vpc-endpoint", {
    vpcId: config.require("vpcId"),
    serviceName: endpointService.endpointServiceName.apply((name) => name ?? ""),
    vpcEndpointType: "Interface",
    subnetIds: config.requireObject<string[]>("subnetIds"),
    securityGroupIds: config.requireObject<string[]>("securityGroupIds"),
  });
  return vpcEndpoint.id;
}

// The link between them, which Atlas reports as AVAILABLE once AWS has accepted the connection.
const link = new atlas.PrivateEndpointInterfaceLink("atlas-interface-link", {
  projectId,
  privateLinkId: endpointService.privateLinkId,
  interfaceEndpointId: vpcEndpointId(),
});

// A lookup of the same link, as another program that does not manage it would read it.
const lookedUp = atlas.getPrivateEndpointInterfaceLinkOutput({
  projectId: link.projectId,
  privateLinkId: link.privateLinkId,
  interfaceEndpointId: link.interfaceEndpointId,
});

export const privateLinkId = endpointService.privateLinkId;
export const endpointServiceName = endpointService.endpointServiceName;
export const endpointServiceStatus = endpointService.status;
export const linkId = link.id;
export const connectionStatus = link.connectionStatus;
export const deleteRequested = link.deleteRequested;
export const errorMessage = link.errorMessage;
export const lookupConnectionStatus = lookedUp.connectionStatus;
export const lookupDeleteRequested = lookedUp.deleteRequested;
export const lookupErrorMessage = lookedUp.errorMessage;
