import * as pulumi from "@pulumi/pulumi";
import type { AwsPrivateLinkSettings } from "./program";
import { declareAwsPrivateLink } from "./program";

// Stack configuration of this program. Atlas credentials and the Atlas base URL are read by the package
// itself from mongodbatlas:publicKey, mongodbatlas:privateKey and mongodbatlas:baseUrl.
const config = new pulumi.Config();

// Reads the VPC endpoint to create, or the existing one named in the vpcEndpointId config key, which lets
// the program run where no AWS provider can.
function vpcEndpointSettings(): AwsPrivateLinkSettings["vpcEndpoint"] {
  const existingVpcEndpointId = config.get("vpcEndpointId");
  if (existingVpcEndpointId) {
    return { existingVpcEndpointId };
  }
  return {
    vpcId: config.require("vpcId"),
    subnetIds: config.requireObject<string[]>("subnetIds"),
    securityGroupIds: config.requireObject<string[]>("securityGroupIds"),
  };
}

const { endpointService, link, lookedUp } = declareAwsPrivateLink({
  projectId: config.require("projectId"),
  region: config.get("region") ?? "us-east-1",
  vpcEndpoint: vpcEndpointSettings(),
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
