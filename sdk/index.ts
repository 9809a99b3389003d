export { PrivateEndpointInterfaceLink } from "./privateEndpointInterfaceLink";
export type { PrivateEndpointInterfaceLinkArgs } from "./privateEndpointInterfaceLink";
export { PrivateEndpoint } from "./privateEndpoint";
export type { PrivateEndpointArgs } from "./privateEndpoint";
export {
  getPrivateEndpointInterfaceLink,
  getPrivateEndpointInterfaceLinkOutput,
} from "./getPrivateEndpointInterfaceLink";
export type {
  GetPrivateEndpointInterfaceLinkArgs,
  GetPrivateEndpointInterfaceLinkOutputArgs,
  GetPrivateEndpointInterfaceLinkResult,
} from "./getPrivateEndpointInterfaceLink";
export { ConnectionStatus, EndpointServiceStatus } from "./types";
export type { Timeouts, TimeoutsArgs } from "./types";
export {
  formatInterfaceLinkId,
  formatPrivateEndpointId,
  parseInterfaceLinkId,
  parsePrivateEndpointId,
} from "../provider/resourceId";
export type { InterfaceLinkIdentity, PrivateEndpointIdentity } from "../provider/resourceId";
