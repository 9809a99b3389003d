export { PrivateEndpointInterfaceLinkProvider, INTERFACE_LINK_DEFAULT_TIMEOUTS } from "./privateEndpointInterfaceLink";
export type { InterfaceLinkInputs, InterfaceLinkOutputs } from "./privateEndpointInterfaceLink";
export { PrivateEndpointProvider, PRIVATE_ENDPOINT_DEFAULT_TIMEOUTS } from "./privateEndpoint";
export type { PrivateEndpointInputs, PrivateEndpointOutputs } from "./privateEndpoint";
export type { ProviderOptions } from "./providerOptions";
export { DEFAULT_POLL_SCHEDULE, backoffDelayMs } from "./polling";
export type { Clock, PollSchedule } from "./polling";
export {
  formatInterfaceLinkId,
  formatPrivateEndpointId,
  parseInterfaceLinkId,
  parsePrivateEndpointId,
} from "./resourceId";
export type { InterfaceLinkIdentity, PrivateEndpointIdentity } from "./resourceId";
export { parseDurationMs } from "./timeouts";
export type { Timeouts } from "./timeouts";
export { isResourceInitError } from "./errors";
export type { ResourceInitError } from "./errors";
