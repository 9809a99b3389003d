import * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

// Stack configuration of this program. Atlas credentials and the Atlas base URL are read by the package
// itself from mongodbatlas:publicKey, mongodbatlas:privateKey and mongodbatlas:baseUrl.
const config = new pulumi.Config();

// Links an interface VPC endpoint that exists already, made for the endpoint service's AWS service name, to
// an Atlas AWS endpoint service that exists already. Pulumi manages only the link: `pulumi destroy` removes
// the link from Atlas and leaves the endpoint service and the VPC endpoint in place.
const link = new atlas.PrivateEndpointInterfaceLink("existing-vpc-endpoint-link", {
  projectId: config.require("projectId"),
  privateLinkId: config.require("privateLinkId"),
  interfaceEndpointId: config.require("vpcEndpointId"),
});

export const linkId = link.id;
export const connectionStatus = link.connectionStatus;
export const errorMessage = link.errorMessage;
