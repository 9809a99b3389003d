import type { ValueRule } from "./validation";
import {
  AWS_REGION_RULE,
  checkValue,
  describeValue,
  INTERFACE_ENDPOINT_ID_RULE,
  PRIVATE_LINK_ID_RULE,
  PROJECT_ID_RULE,
} from "./validation";

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
 * Builds an Error named `InvalidResourceIdError` for an id that does not have the documented format. The message
 * names the resource kind, the id, what is wrong, the expected format and an example.
 */
export function invalidResourceIdError(
  kind: string,
  id: unknown,
  problem: string,
  format: string,
  example: string,
): Error {
  const message = `Invalid ${kind} id ${describeValue(id)}: ${problem}. Expected ${format}, e.g. ${example}.`;
  return Object.assign(new Error(message), { name: "InvalidResourceIdError" });
}

const SEPARATOR = "--";
const CLOUD_PROVIDER = "AWS";

const INTERFACE_LINK_FORMAT = "{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS";
const PRIVATE_ENDPOINT_FORMAT = "{projectId}--{privateLinkId}--AWS--{region}";

/**
 * Formats the id of an interface endpoint link as `{projectId}--{privateLinkId}--{interfaceEndpointId}--AWS`, the
 * import id format of the Terraform MongoDB Atlas provider. Round-trips through {@link parseInterfaceLinkId} for ids
 * that pass validation.
 */
export function formatInterfaceLinkId(identity: InterfaceLinkIdentity): string {
  return [identity.projectId, identity.privateLinkId, identity.interfaceEndpointId, CLOUD_PROVIDER].join(SEPARATOR);
}

/**
 * Parses an id made by {@link formatInterfaceLinkId}. Throws an `InvalidResourceIdError` naming the expected format
 * and the first part that is wrong.
 */
export function parseInterfaceLinkId(id: string): InterfaceLinkIdentity {
  const example = formatInterfaceLinkId({
    projectId: PROJECT_ID_RULE.example,
    privateLinkId: PRIVATE_LINK_ID_RULE.example,
    interfaceEndpointId: INTERFACE_ENDPOINT_ID_RULE.example,
  });
  const fail = (problem: string): never => {
    throw invalidResourceIdError("PrivateEndpointInterfaceLink", id, problem, INTERFACE_LINK_FORMAT, example);
  };

  const parts = splitId(id, fail);
  const [projectId, privateLinkId, interfaceEndpointId, cloudProvider] = parts;
  if (cloudProvider !== CLOUD_PROVIDER) {
    fail(`the last part must be "${CLOUD_PROVIDER}"`);
  }
  checkPart("projectId", projectId, PROJECT_ID_RULE, fail);
  checkPart("privateLinkId", privateLinkId, PRIVATE_LINK_ID_RULE, fail);
  checkPart("interfaceEndpointId", interfaceEndpointId, INTERFACE_ENDPOINT_ID_RULE, fail);
  return { projectId, privateLinkId, interfaceEndpointId };
}

/**
 * Formats the id of an Atlas AWS endpoint service as `{projectId}--{privateLinkId}--AWS--{region}`, with the AWS region
 * name such as `us-east-1`. Round-trips through {@link parsePrivateEndpointId} for ids that pass validation.
 */
export function formatPrivateEndpointId(identity: PrivateEndpointIdentity): string {
  return [identity.projectId, identity.privateLinkId, CLOUD_PROVIDER, identity.region].join(SEPARATOR);
}

/**
 * Parses an id made by {@link formatPrivateEndpointId}. Throws an `InvalidResourceIdError` naming the expected format
 * and the first part that is wrong.
 */
export function parsePrivateEndpointId(id: string): PrivateEndpointIdentity {
  const example = formatPrivateEndpointId({
    projectId: PROJECT_ID_RULE.example,
    privateLinkId: PRIVATE_LINK_ID_RULE.example,
    region: AWS_REGION_RULE.example,
  });
  const fail = (problem: string): never => {
    throw invalidResourceIdError("PrivateEndpoint", id, problem, PRIVATE_ENDPOINT_FORMAT, example);
  };

  const parts = splitId(id, fail);
  const [projectId, privateLinkId, cloudProvider, region] = parts;
  if (cloudProvider !== CLOUD_PROVIDER) {
    fail(`the third part must be "${CLOUD_PROVIDER}"`);
  }
  checkPart("projectId", projectId, PROJECT_ID_RULE, fail);
  checkPart("privateLinkId", privateLinkId, PRIVATE_LINK_ID_RULE, fail);
  checkPart("region", region, AWS_REGION_RULE, fail);
  return { projectId, privateLinkId, region };
}

function splitId(id: unknown, fail: (problem: string) => never): [string, string, string, string] {
  if (typeof id !== "string") {
    return fail("it is not a string");
  }
  const parts = id.split(SEPARATOR);
  if (parts.length !== 4) {
    return fail(`it has ${parts.length} part(s) separated by "${SEPARATOR}" instead of 4`);
  }
  return [parts[0], parts[1], parts[2], parts[3]];
}

function checkPart(property: string, value: string, rule: ValueRule, fail: (problem: string) => never): void {
  const failure = checkValue(property, value, rule);
  if (failure) {
    fail(failure.reason);
  }
}
