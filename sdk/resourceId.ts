import * as resourceId from "../provider/resourceId";

/** The three ids that name an interface endpoint link in Atlas. */
export interface InterfaceLinkIdentity {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: string;
  /** Id of the Atlas AWS endpoint service: 24 lowercase hex characters. */
  privateLinkId: string;
  /** Id of the AWS interface VPC endpoint, such as `vpce-0a1b2c3d4e5f60718`. */
  interfaceEndpointId: string;
}

/** The ids that name an Atlas AWS endpoint service, with the AWS region it serves. */
export interface PrivateEndpointIdentity {
  /** Atlas project id: 24 lowercase hex characters. */
  projectId: string;
  /** Id of the Atlas AWS endpoint service: 24 lowercase hex characters. */
  privateLinkId: string;
  /** AWS region name such as `us-east-1`. */
  region: string;
}

/**
 * Formats the id of an interface endpoint link as `{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS`, the id
 * that {@link PrivateEndpointInterfaceLink.get} takes. It does not validate the parts.
 */
export function formatInterfaceLinkId(identity: InterfaceLinkIdentity): string {
  return resourceId.formatInterfaceLinkId(identity);
}

/**
 * Parses an id made by {@link formatInterfaceLinkId} and validates each part. Throws an Error named
 * `InvalidResourceIdError` that names the expected format and the first part that is wrong.
 */
export function parseInterfaceLinkId(id: string): InterfaceLinkIdentity {
  return resourceId.parseInterfaceLinkId(id);
}

/**
 * Formats the id of an Atlas AWS endpoint service as `{projectId}--{privateLinkId}--AWS--{region}`, the id that
 * {@link PrivateEndpoint.get} takes. It does not validate the parts.
 */
export function formatPrivateEndpointId(identity: PrivateEndpointIdentity): string {
  return resourceId.formatPrivateEndpointId(identity);
}

/**
 * Parses an id made by {@link formatPrivateEndpointId} and validates each part. Throws an Error named
 * `InvalidResourceIdError` that names the expected format and the first part that is wrong.
 */
export function parsePrivateEndpointId(id: string): PrivateEndpointIdentity {
  return resourceId.parsePrivateEndpointId(id);
}
