import * as pulumi from "@pulumi/pulumi";
import * as atlas from "pulumi-atlas-privatelink";

// With existingLinkId set, reads that link with get. With interfaceEndpointId set, declares a link to that VPC
// endpoint on the endpoint service privateLinkId, adopting a link that already exists when adoptExisting is true.
const config = new pulumi.Config();
const projectId = config.require("projectId");
const existingLinkId = config.get("existingLinkId");
const interfaceEndpointId = config.get("interfaceEndpointId");

const existing =
  existingLinkId === undefined ? undefined : atlas.PrivateEndpointInterfaceLink.get("existing", existingLinkId);

const adopted =
  interfaceEndpointId === undefined
    ? undefined
    : new atlas.PrivateEndpointInterfaceLink("adopted", {
        projectId,
        privateLinkId: config.require("privateLinkId"),
        interfaceEndpointId,
        adoptExisting: config.getBoolean("adoptExisting"),
      });

export const existingId = existing?.id;
export const existingInterfaceEndpointId = existing?.interfaceEndpointId;
export const existingStatus = existing?.connectionStatus;
export const adoptedId = adopted?.id;
export const adoptedStatus = adopted?.connectionStatus;
export const adoptedAdoptExisting = adopted?.adoptExisting;
