import * as pulumi from "@pulumi/pulumi";
import type { AwsPrivateLinkSettings } from "./program";
import { declareAwsPrivateLink } from "./program";

// Stack configuration of this program. Atlas credentials and the Atlas base URL are read by the package
// itself from mongodbatlas:publicKey, mongodbatlas:privateKey and mongodbatlas:baseUrl.
const config = new pulumi.Config();

// Where no AWS provider can run, the program links an existing endpoint whose id is set in the vpcEndpointId
// config key instead of creating one.
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
