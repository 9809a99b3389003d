import * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

// One endpoint service and one link per VPC endpoint id in the interfaceEndpointIds config list. The optional
// createTimeout and deleteTimeout keys set every link's timeouts. With privateLinkId set, the links attach to that
// service id instead, and the program declares no endpoint service.
const config = new pulumi.Config();
const projectId = config.require("projectId");
const interfaceEndpointIds = config.requireObject<string[]>("interfaceEndpointIds");
const createTimeout = config.get("createTimeout");
const deleteTimeout = config.get("deleteTimeout");
const fixedPrivateLinkId = config.get("privateLinkId");

const privateLinkId: pulumi.Input<string> =
  fixedPrivateLinkId ??
  new atlas.PrivateEndpoint("endpoint-service", { projectId, providerName: "AWS", region: "us-east-1" }).privateLinkId;

const links = interfaceEndpointIds.map(
  (interfaceEndpointId) =>
    new atlas.PrivateEndpointInterfaceLink(interfaceEndpointId, {
      projectId,
      privateLinkId,
      interfaceEndpointId,
      timeouts: createTimeout || deleteTimeout ? { create: createTimeout, delete: deleteTimeout } : undefined,
    }),
);

export const connectionStatuses = pulumi
  .all(links.map((link) => link.connectionStatus))
  .apply((statuses) => Object.fromEntries(interfaceEndpointIds.map((id, index) => [id, statuses[index]])));
