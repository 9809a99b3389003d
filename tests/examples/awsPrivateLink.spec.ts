import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPrivateLink, AwsPrivateLinkSettings } from "../../examples/aws-privatelink/program";
import { declareAwsPrivateLink } from "../../examples/aws-privatelink/program";
import { IDS } from "../provider/support/fakeAtlas";
import type { StubAtlasServer } from "../provider/support/stubAtlasServer";
import { startStubAtlasServer } from "../provider/support/stubAtlasServer";

const PUBLIC_KEY = "examplepub-4K8M2P6R";
const PRIVATE_KEY = "examplepriv-3c5e7a9b-2d4f-4a6c-8e0b-1d3f5a7c9e2b";
const VPC_ID = "vpc-0f1e2d3c4b5a69788";
const SUBNET_IDS = ["subnet-0a1b2c3d4e5f60718", "subnet-08172635445362718"];
const SECURITY_GROUP_IDS = ["sg-0a1b2c3d4e5f60718"];
const SERVICE_NAME = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718";
const SERVICE_PATH = `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService/${IDS.privateLinkId}`;
const EXISTING_VPC_ENDPOINT_ID = "vpce-0123456789abcdef0";

/** What the mocked engine received for one resource registration. */
interface Registration {
  type: string;
  inputs: Record<string, unknown>;
  /** URNs of the resources this one depends on, which the engine creates first and deletes last. */
  dependencies: string[];
}

/** A declaration of the example and the registrations it made, by resource name. */
interface Declaration {
  declared: AwsPrivateLink;
  registrations: Map<string, Registration>;
}

/** Resolves an Output's value; the internal promise() rejects when the mocked registration fails. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/** The part of a RegisterResourceRequest that the test reads. */
interface RegisterRequest {
  getName(): string;
  getDependenciesList(): string[];
}

/** The mocked monitor that setMocks installs; its registerResource receives every resource registration. */
interface MockMonitorLike {
  registerResource(request: RegisterRequest, callback: (...args: unknown[]) => void): Promise<void>;
}

describe("aws-privatelink example", () => {
  let server: StubAtlasServer;
  const savedEnv: Record<string, string | undefined> = {};
  // Filled by the mocks and the monitor wrapper below, and emptied by declare() before each declaration.
  const registrations = new Map<string, Registration>();
  let withNewVpcEndpoint: Declaration;
  let withExistingVpcEndpoint: Declaration;

  /** Declares the example's resources, then waits until every registration and the lookup have finished. */
  async function declare(vpcEndpoint: AwsPrivateLinkSettings["vpcEndpoint"]): Promise<Declaration> {
    registrations.clear();
    const declared = declareAwsPrivateLink({ projectId: IDS.projectId, region: "us-east-1", vpcEndpoint });
    await valueOf(declared.lookedUp);
    return { declared, registrations: new Map(registrations) };
  }

  before(async () => {
    // The example's lookup reads the link from Atlas in the program process, so it gets a stub Atlas on
    // 127.0.0.1 that returns any link of the endpoint service as AVAILABLE.
    server = await startStubAtlasServer([[PUBLIC_KEY, PRIVATE_KEY]], (method, path) => {
      const endpointId = path.startsWith(`${SERVICE_PATH}/endpoint/`) ? path.split("/").pop() : undefined;
      if (method === "GET" && endpointId !== undefined) {
        return {
          status: 200,
          body: { cloudProvider: "AWS", interfaceEndpointId: endpointId, connectionStatus: "AVAILABLE" },
        };
      }
      return { status: 404, body: { error: 404, errorCode: "RESOURCE_NOT_FOUND" } };
    });
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: PUBLIC_KEY,
      MONGODB_ATLAS_PRIVATE_KEY: PRIVATE_KEY,
      MONGODB_ATLAS_BASE_URL: server.baseUrl,
    };
    for (const [name, value] of Object.entries(env)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }

    // Plays the engine and both providers: each resource gets its inputs back, with the ids and outputs that
    // Atlas and AWS would report.
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown>;
          const registration = registrations.get(args.name);
          registrations.set(args.name, { type: args.type, inputs, dependencies: registration?.dependencies ?? [] });
          if (args.name === "atlas-endpoint-service") {
            const state = { ...inputs, privateLinkId: IDS.privateLinkId, endpointServiceName: SERVICE_NAME };
            return { id: `${IDS.projectId}--${IDS.privateLinkId}--AWS--us-east-1`, state };
          }
          if (args.name === "atlas-vpc-endpoint") {
            return { id: IDS.interfaceEndpointId, state: inputs };
          }
          const state = { ...inputs, connectionStatus: "AVAILABLE", deleteRequested: false, errorMessage: null };
          const id = `${String(inputs.projectId)}--${String(inputs.privateLinkId)}--${String(inputs.interfaceEndpointId)}--AWS`;
          return { id, state };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );

    // The mocks receive only the type, name and inputs, so the dependencies come from the registration request.
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      registrations.set(request.getName(), { type: "", inputs: {}, dependencies: request.getDependenciesList() });
      return registerResource(request, callback);
    };

    withNewVpcEndpoint = await declare({ vpcId: VPC_ID, subnetIds: SUBNET_IDS, securityGroupIds: SECURITY_GROUP_IDS });
    withExistingVpcEndpoint = await declare({ existingVpcEndpointId: EXISTING_VPC_ENDPOINT_ID });
  });

  after(async () => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    await server.close();
  });

  function registrationOf(declaration: Declaration, name: string): Registration {
    const found = declaration.registrations.get(name);
    assert.ok(found, `no registration named ${name}`);
    return found;
  }

  it("declares the endpoint service for the project and region", () => {
    const registration = registrationOf(withNewVpcEndpoint, "atlas-endpoint-service");
    assert.equal(registration.type, "pulumi-nodejs:dynamic/atlas-privatelink:PrivateEndpoint");
    assert.equal(registration.inputs.projectId, IDS.projectId);
    assert.equal(registration.inputs.providerName, "AWS");
    assert.equal(registration.inputs.region, "us-east-1");
  });

  it("creates an interface VPC endpoint for the Atlas service name", () => {
    const registration = registrationOf(withNewVpcEndpoint, "atlas-vpc-endpoint");
    assert.equal(registration.type, "aws:ec2/vpcEndpoint:VpcEndpoint");
    assert.equal(registration.inputs.serviceName, SERVICE_NAME);
    assert.equal(registration.inputs.vpcEndpointType, "Interface");
    assert.equal(registration.inputs.vpcId, VPC_ID);
    assert.deepEqual(registration.inputs.subnetIds, SUBNET_IDS);
    assert.deepEqual(registration.inputs.securityGroupIds, SECURITY_GROUP_IDS);
  });

  it("makes the VPC endpoint depend on the endpoint service", async () => {
    const { endpointService } = withNewVpcEndpoint.declared;
    const registration = registrationOf(withNewVpcEndpoint, "atlas-vpc-endpoint");
    assert.deepEqual(registration.dependencies, [await valueOf(endpointService.urn)]);
  });

  it("links the new VPC endpoint to the endpoint service", async () => {
    const registration = registrationOf(withNewVpcEndpoint, "atlas-interface-link");
    assert.equal(registration.type, "pulumi-nodejs:dynamic/atlas-privatelink:PrivateEndpointInterfaceLink");
    assert.equal(registration.inputs.projectId, IDS.projectId);
    assert.equal(registration.inputs.privateLinkId, IDS.privateLinkId);
    assert.equal(registration.inputs.interfaceEndpointId, IDS.interfaceEndpointId);
    assert.equal(await valueOf(withNewVpcEndpoint.declared.link.connectionStatus), "AVAILABLE");
  });

  it("makes the link depend on the VPC endpoint", async () => {
    const { endpointService, vpcEndpoint } = withNewVpcEndpoint.declared;
    assert.ok(vpcEndpoint, "no VPC endpoint declared");
    const registration = registrationOf(withNewVpcEndpoint, "atlas-interface-link");
    const expected = [await valueOf(endpointService.urn), await valueOf(vpcEndpoint.urn)];
    assert.deepEqual([...registration.dependencies].sort(), expected.sort());
  });

  it("looks the link up by its ids", async () => {
    const result = await valueOf(withNewVpcEndpoint.declared.lookedUp);
    assert.equal(result.id, `${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`);
    assert.equal(result.interfaceEndpointId, IDS.interfaceEndpointId);
    assert.equal(result.connectionStatus, "AVAILABLE");
    assert.equal(result.deleteRequested, false);
  });

  it("sends only the two lookups to Atlas", () => {
    assert.deepEqual(
      server.requests.map((request) => `${request.method} ${request.path}`),
      [
        `GET ${SERVICE_PATH}/endpoint/${IDS.interfaceEndpointId}`,
        `GET ${SERVICE_PATH}/endpoint/${EXISTING_VPC_ENDPOINT_ID}`,
      ],
    );
  });

  it("links an existing VPC endpoint without creating one", async () => {
    const { declared } = withExistingVpcEndpoint;
    assert.equal(declared.vpcEndpoint, undefined);
    assert.equal(withExistingVpcEndpoint.registrations.has("atlas-vpc-endpoint"), false);
    const registration = registrationOf(withExistingVpcEndpoint, "atlas-interface-link");
    assert.equal(registration.inputs.interfaceEndpointId, EXISTING_VPC_ENDPOINT_ID);
    assert.deepEqual(registration.dependencies, [await valueOf(declared.endpointService.urn)]);
    assert.equal((await valueOf(declared.lookedUp)).interfaceEndpointId, EXISTING_VPC_ENDPOINT_ID);
  });
});
