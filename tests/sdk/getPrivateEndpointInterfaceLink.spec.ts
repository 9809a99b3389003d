import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import sinon from "sinon";
import { getPrivateEndpointInterfaceLink, getPrivateEndpointInterfaceLinkOutput } from "../../sdk";
import { NO_ATLAS_ENV, rejectionOf, withEnv } from "../provider/support/assertions";
import { IDS } from "../provider/support/fakeAtlas";
import { expectationOf, INVALID_ID_CASES } from "../provider/support/invalidInputs";
import type { StubAtlasServer, StubResponse } from "../provider/support/stubAtlasServer";
import { startStubAtlasServer } from "../provider/support/stubAtlasServer";

const PUBLIC_KEY = "lookuppub-M2N4B6V8";
const PRIVATE_KEY = "lookuppriv-3e5f7a9b-1c2d-4e6f-8a0b-2c4d6e8f0a1b";
const LINK_ID = `${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`;
const SERVICE_PATH = `/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService/${IDS.privateLinkId}`;
const LINK_PATH = `${SERVICE_PATH}/endpoint/${IDS.interfaceEndpointId}`;

function setMocks(preview: boolean): Promise<void> {
  return pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
      call: () => ({}),
    },
    "project",
    "stack",
    preview,
  );
}

/** Reads whether an Output is known; `isKnown` is internal to the Pulumi SDK but stable across 3.x. */
function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}

describe("getPrivateEndpointInterfaceLink", () => {
  let server: StubAtlasServer;
  let linkResponse: StubResponse;
  let serviceResponse: StubResponse;

  beforeEach(async () => {
    linkResponse = {
      status: 200,
      body: {
        cloudProvider: "AWS",
        interfaceEndpointId: IDS.interfaceEndpointId,
        connectionStatus: "PENDING_ACCEPTANCE",
        deleteRequested: false,
        errorMessage: null,
      },
    };
    serviceResponse = { status: 200, body: { id: IDS.privateLinkId, cloudProvider: "AWS", status: "AVAILABLE" } };
    server = await startStubAtlasServer([[PUBLIC_KEY, PRIVATE_KEY]], (method, path) => {
      if (method === "GET" && path === LINK_PATH) {
        return linkResponse;
      }
      if (method === "GET" && path === SERVICE_PATH) {
        return serviceResponse;
      }
      return { status: 404, body: { error: 404 } };
    });
    await setMocks(false);
    pulumi.runtime.setAllConfig(
      {
        "mongodbatlas:publicKey": PUBLIC_KEY,
        "mongodbatlas:privateKey": PRIVATE_KEY,
        "mongodbatlas:baseUrl": server.baseUrl,
      },
      ["mongodbatlas:privateKey"],
    );
  });

  afterEach(async () => {
    sinon.restore();
    pulumi.runtime.setAllConfig({});
    await server.close();
  });

  it("reads with stack config credentials", async () => {
    const result = await withEnv(NO_ATLAS_ENV, () => getPrivateEndpointInterfaceLink({ ...IDS }));
    assert.deepEqual(result, {
      id: LINK_ID,
      ...IDS,
      connectionStatus: "PENDING_ACCEPTANCE",
      deleteRequested: false,
      errorMessage: null,
    });
    assert.deepEqual(
      server.requests.map((request) => request.username),
      [PUBLIC_KEY],
    );
  });

  it("reads a secret private key without a warning", async () => {
    const warn = sinon.spy(pulumi.log, "warn");
    await withEnv(NO_ATLAS_ENV, () => getPrivateEndpointInterfaceLink({ ...IDS }));
    assert.equal(warn.callCount, 0);
  });

  it("falls back to environment credentials", async () => {
    pulumi.runtime.setAllConfig({});
    const env = { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE_KEY };
    const result = await withEnv({ ...NO_ATLAS_ENV, ...env, MONGODB_ATLAS_BASE_URL: server.baseUrl }, () =>
      getPrivateEndpointInterfaceLink({ ...IDS }),
    );
    assert.equal(result.connectionStatus, "PENDING_ACCEPTANCE");
  });

  it("rejects invalid ids before any request", async () => {
    const err = await rejectionOf(
      getPrivateEndpointInterfaceLink({ ...IDS, projectId: "nope", interfaceEndpointId: "VPCE-123" }),
    );
    assert.equal(err.name, "ValidationError");
    assert.match(err.message, /^Invalid arguments to getPrivateEndpointInterfaceLink: projectId "nope" is invalid/);
    assert.match(err.message, /; interfaceEndpointId "VPCE-123" is invalid \(it contains upper-case letters /);
    assert.equal(server.hits(), 0);
  });

  it("rejects with 'was not found' on 404", async () => {
    linkResponse = {
      status: 404,
      body: { error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find resource" },
    };
    const err = await rejectionOf(getPrivateEndpointInterfaceLink({ ...IDS }));
    assert.match(
      err.message,
      new RegExp(`^PrivateEndpointInterfaceLink ${LINK_ID} was not found: .*Cannot find resource`),
    );
  });

  it("keeps credentials out of error messages", async () => {
    linkResponse = { status: 403, body: { error: 403, errorCode: "ACCESS_FORBIDDEN", detail: "no access" } };
    const err = await rejectionOf(getPrivateEndpointInterfaceLink({ ...IDS }));
    assert.match(err.message, /^Failed to read PrivateEndpointInterfaceLink /);
    assert.equal(err.message.includes(PRIVATE_KEY), false);
    assert.equal(err.message.includes(PUBLIC_KEY), false);
  });

  describe("invalid arguments", () => {
    for (const { property, value, subject, problem } of INVALID_ID_CASES) {
      const start = problem === "" ? `${subject}: expected ` : `${subject} (${problem}): expected `;

      it(`rejects ${property} ${String(JSON.stringify(value))}`, async () => {
        const args = { ...IDS, [property]: value } as typeof IDS;
        const err = await rejectionOf(getPrivateEndpointInterfaceLink(args));
        assert.equal(err.name, "ValidationError");
        assert.ok(
          err.message.startsWith(`Invalid arguments to getPrivateEndpointInterfaceLink: ${start}`),
          err.message,
        );
        assert.match(err.message, expectationOf(property));
        assert.equal(server.hits(), 0);
      });

      it(`rejects ${property} ${String(JSON.stringify(value))} in the Output form`, async () => {
        const output = getPrivateEndpointInterfaceLinkOutput({ ...IDS, [property]: pulumi.output(value) });
        const err = await rejectionOf((output as unknown as { promise(): Promise<unknown> }).promise());
        assert.equal(err.name, "ValidationError");
        assert.equal(pulumi.RunError.isInstance(err), true);
        assert.ok(err.message.includes(start), err.message);
        assert.equal(server.hits(), 0);
      });
    }
  });

  describe("Output form", () => {
    it("resolves once its arguments are known", async () => {
      const output = getPrivateEndpointInterfaceLinkOutput({ ...IDS, projectId: pulumi.output(IDS.projectId) });
      const result = await (output as unknown as { promise(): Promise<{ id: string }> }).promise();
      assert.equal(result.id, LINK_ID);
    });

    it("stays unknown for unknown arguments", async () => {
      await setMocks(true);
      const unknownProject = pulumi.output(pulumi.unknown) as unknown as pulumi.Output<string>;
      const output = getPrivateEndpointInterfaceLinkOutput({ ...IDS, projectId: unknownProject });
      assert.equal(await isKnown(output), false);
      assert.equal(server.hits(), 0);
    });

    it("stays unknown in preview for a missing link", async () => {
      await setMocks(true);
      linkResponse = { status: 404, body: { error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find" } };
      const output = getPrivateEndpointInterfaceLinkOutput({ ...IDS, projectId: pulumi.output(IDS.projectId) });
      assert.equal(await isKnown(output), false);
      assert.ok(server.hits() > 0);
    });

    it("rejects in preview when the service is missing too", async () => {
      await setMocks(true);
      linkResponse = { status: 404, body: { error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find" } };
      serviceResponse = { status: 404, body: { error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "No service" } };
      const output = getPrivateEndpointInterfaceLinkOutput({ ...IDS, projectId: pulumi.output(IDS.projectId) });
      const err = await rejectionOf((output as unknown as { promise(): Promise<unknown> }).promise());
      assert.match(err.message, new RegExp(`^PrivateEndpointInterfaceLink ${LINK_ID} was not found: `));
    });

    it("rejects a missing link outside preview", async () => {
      linkResponse = { status: 404, body: { error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find" } };
      const output = getPrivateEndpointInterfaceLinkOutput({ ...IDS, projectId: pulumi.output(IDS.projectId) });
      const err = await rejectionOf((output as unknown as { promise(): Promise<unknown> }).promise());
      assert.match(err.message, new RegExp(`^PrivateEndpointInterfaceLink ${LINK_ID} was not found: `));
      assert.ok(err.message.endsWith("run `pulumi up --refresh` to create it again."), err.message);
      // Pulumi prints a RunError as a message instead of an unhandled exception with a stack trace.
      assert.equal(pulumi.RunError.isInstance(err), true);
      assert.equal(err.name, "AtlasApiError");
    });
  });
});
