import * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

// An endpoint service, one interface link to the VPC endpoint named in config, and a lookup of that link.
const config = new pulumi.Config();
const projectId = config.require("projectId");

const endpointService = new atlas.PrivateEndpoint("endpoint-service", {
  projectId,
  providerName: "AWS",
  region: config.get("region") ?? "us-east-1",
});

const link = new atlas.PrivateEndpointInterfaceLink("link", {
  projectId,
  privateLinkId: endpointService.privateLinkId,
  interfaceEndpointId: config.require("interfaceEndpointId"),
});

const lookedUp = atlas.getPrivateEndpointInterfaceLinkOutput({
  projectId: link.projectId,
  privateLinkId: link.privateLinkId,
  interfaceEndpointId: link.interfaceEndpointId,
});

export const privateLinkId = endpointService.privateLinkId;
export const endpointServiceName = endpointService.endpointServiceName;
export const linkId = link.id;
export const connectionStatus = link.connectionStatus;
export const deleteRequested = link.deleteRequested;
export const errorMessage = link.errorMessage;
export const lookup = lookedUp;
