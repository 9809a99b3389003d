import assert from "node:assert/strict";
import {
  formatInterfaceLinkId,
  formatPrivateEndpointId,
  parseInterfaceLinkId,
  parsePrivateEndpointId,
} from "../../provider/resourceId";
import { IDS } from "./support/fakeAtlas";

describe("resource ids", () => {
  it("formats a link id", () => {
    assert.equal(
      formatInterfaceLinkId(IDS),
      "5f0a1b2c3d4e5f6a7b8c9d0e--6a0b1c2d3e4f5a6b7c8d9e0f--vpce-0a1b2c3d4e5f60718--AWS",
    );
  });

  it("round-trips a link id", () => {
    assert.deepEqual(parseInterfaceLinkId(formatInterfaceLinkId(IDS)), IDS);
  });

  it("round-trips an 8-digit vpce id", () => {
    const identity = { ...IDS, interfaceEndpointId: "vpce-0a1b2c3d" };
    assert.deepEqual(parseInterfaceLinkId(formatInterfaceLinkId(identity)), identity);
  });

  it("round-trips an endpoint service id", () => {
    const identity = { projectId: IDS.projectId, privateLinkId: IDS.privateLinkId, region: "ap-southeast-2" };
    assert.equal(formatPrivateEndpointId(identity), `${IDS.projectId}--${IDS.privateLinkId}--AWS--ap-southeast-2`);
    assert.deepEqual(parsePrivateEndpointId(formatPrivateEndpointId(identity)), identity);
  });

  const badLinkIds: [string, RegExp][] = [
    ["5f0a1b2c3d4e5f6a7b8c9d0e-6a0b1c2d3e4f5a6b7c8d9e0f-vpce-0a1b2c3d4e5f60718", /it has 1 part\(s\)/],
    [`${IDS.projectId}--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AZURE`, /the last part must be "AWS"/],
    [`${IDS.projectId}--${IDS.privateLinkId}--vpce-XYZ--AWS`, /interfaceEndpointId "vpce-XYZ" is invalid/],
    [`abc--${IDS.privateLinkId}--${IDS.interfaceEndpointId}--AWS`, /projectId "abc" is invalid/],
  ];
  for (const [id, problem] of badLinkIds) {
    it(`rejects link id ${id}`, () => {
      assert.throws(
        () => parseInterfaceLinkId(id),
        (err: Error) => {
          assert.equal(err.name, "InvalidResourceIdError");
          assert.match(err.message, problem);
          assert.ok(err.message.includes("Expected {projectId}--{privateLinkId}--{interfaceEndpointId}--AWS, e.g. "));
          return true;
        },
      );
    });
  }

  it("rejects an Atlas region name in an id", () => {
    assert.throws(
      () => parsePrivateEndpointId(`${IDS.projectId}--${IDS.privateLinkId}--AWS--US_EAST_1`),
      /region "US_EAST_1" is invalid.*Expected \{projectId\}--\{privateLinkId\}--AWS--\{region\}/,
    );
  });
});
