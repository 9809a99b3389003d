import * as assert from "node:assert/strict";

import { ATLAS_API_MEDIA_TYPE, LEGACY_MEDIA_TYPE, privateEndpointRoutes } from "../../../provider/atlas";
import type { PrivateEndpointApi, PrivateEndpointRoutes, RouteCall } from "../../../provider/atlas";
import { PROJECT_ID, SERVICE_ID, VPCE_ID } from "./support/fixtures";

const V2_GROUP = `/api/atlas/v2/groups/${PROJECT_ID}/privateEndpoint`;
const V2_SERVICE = `${V2_GROUP}/AWS/endpointService/${SERVICE_ID}`;
const LEGACY_GROUP = `/api/atlas/v1.0/groups/${PROJECT_ID}/privateEndpoint`;
const LEGACY_PRIVATE_LINK = `${LEGACY_GROUP}/${SERVICE_ID}`;
const SERVICE_NAME = "com.amazonaws.vpce.eu-west-2.vpce-svc-0a1b2c3d4e5f67890";

type RouteName = Exclude<
  keyof PrivateEndpointRoutes,
  "api" | "mediaType" | "toEndpointService" | "toInterfaceEndpoint"
>;

function callRoute(routes: PrivateEndpointRoutes, name: RouteName): RouteCall {
  switch (name) {
    case "createEndpointService":
      return routes.createEndpointService(PROJECT_ID, "us-east-1");
    case "listEndpointServices":
      return routes.listEndpointServices(PROJECT_ID);
    case "getEndpointService":
      return routes.getEndpointService(PROJECT_ID, SERVICE_ID);
    case "deleteEndpointService":
      return routes.deleteEndpointService(PROJECT_ID, SERVICE_ID);
    case "createInterfaceEndpoint":
      return routes.createInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);
    case "getInterfaceEndpoint":
      return routes.getInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);
    case "deleteInterfaceEndpoint":
      return routes.deleteInterfaceEndpoint(PROJECT_ID, SERVICE_ID, VPCE_ID);
  }
}

const EXPECTED_ROUTES: Record<PrivateEndpointApi, Record<RouteName, RouteCall>> = {
  v2: {
    createEndpointService: {
      method: "POST",
      path: `${V2_GROUP}/endpointService`,
      body: { providerName: "AWS", region: "us-east-1" },
    },
    listEndpointServices: { method: "GET", path: `${V2_GROUP}/AWS/endpointService` },
    getEndpointService: { method: "GET", path: V2_SERVICE },
    deleteEndpointService: { method: "DELETE", path: V2_SERVICE },
    createInterfaceEndpoint: { method: "POST", path: `${V2_SERVICE}/endpoint`, body: { id: VPCE_ID } },
    getInterfaceEndpoint: { method: "GET", path: `${V2_SERVICE}/endpoint/${VPCE_ID}` },
    deleteInterfaceEndpoint: { method: "DELETE", path: `${V2_SERVICE}/endpoint/${VPCE_ID}` },
  },
  legacy: {
    createEndpointService: { method: "POST", path: LEGACY_GROUP, body: { providerName: "AWS", region: "us-east-1" } },
    listEndpointServices: { method: "GET", path: LEGACY_GROUP },
    getEndpointService: { method: "GET", path: LEGACY_PRIVATE_LINK },
    deleteEndpointService: { method: "DELETE", path: LEGACY_PRIVATE_LINK },
    createInterfaceEndpoint: {
      method: "POST",
      path: `${LEGACY_PRIVATE_LINK}/interfaceEndpoints`,
      body: { interfaceEndpointId: VPCE_ID },
    },
    getInterfaceEndpoint: { method: "GET", path: `${LEGACY_PRIVATE_LINK}/interfaceEndpoints/${VPCE_ID}` },
    deleteInterfaceEndpoint: { method: "DELETE", path: `${LEGACY_PRIVATE_LINK}/interfaceEndpoints/${VPCE_ID}` },
  },
};

describe("privateEndpointRoutes", () => {
  for (const [api, expectedRoutes] of Object.entries(EXPECTED_ROUTES) as [
    PrivateEndpointApi,
    Record<RouteName, RouteCall>,
  ][]) {
    context(`${api} route table`, () => {
      for (const [name, expected] of Object.entries(expectedRoutes) as [RouteName, RouteCall][]) {
        it(`maps ${name}`, () => {
          assert.deepEqual(callRoute(privateEndpointRoutes(api), name), expected);
        });
      }
    });
  }

  it("sends the versioned media type for v2", () => {
    assert.equal(privateEndpointRoutes("v2").mediaType, ATLAS_API_MEDIA_TYPE);
  });

  it("sends application/json for legacy", () => {
    assert.equal(privateEndpointRoutes("legacy").mediaType, LEGACY_MEDIA_TYPE);
    assert.equal(LEGACY_MEDIA_TYPE, "application/json");
  });

  it("percent-encodes legacy path segments", () => {
    const route = privateEndpointRoutes("legacy").getInterfaceEndpoint("p/1", "s%2", "vpce x?#");

    assert.equal(route.path, "/api/atlas/v1.0/groups/p%2F1/privateEndpoint/s%252/interfaceEndpoints/vpce%20x%3F%23");
  });

  for (const id of ["", ".", ".."]) {
    it(`rejects the legacy privateLinkId "${id}"`, () => {
      assert.throws(() => privateEndpointRoutes("legacy").getEndpointService(PROJECT_ID, id), {
        message: `Invalid privateLinkId "${id}": an Atlas path parameter must not be empty, "." or "..".`,
      });
    });
  }

  it("rejects an unknown API", () => {
    assert.throws(() => privateEndpointRoutes("v1" as PrivateEndpointApi), {
      message: 'Invalid privateEndpointApi "v1": expected "v2" or "legacy".',
    });
  });
});

describe("legacy response mapping", () => {
  const routes = privateEndpointRoutes("legacy");

  it("adds AWS to an interface endpoint", () => {
    const legacy = {
      interfaceEndpointId: VPCE_ID,
      connectionStatus: "NONE",
      deleteRequested: false,
      errorMessage: null,
    };

    assert.deepEqual(routes.toInterfaceEndpoint(legacy), { ...legacy, cloudProvider: "AWS" });
  });

  it("keeps a REJECTED endpoint's error message", () => {
    const legacy = {
      interfaceEndpointId: VPCE_ID,
      connectionStatus: "REJECTED",
      deleteRequested: false,
      errorMessage: "VPC endpoint not found",
    };

    const mapped = routes.toInterfaceEndpoint(legacy);

    assert.equal(mapped.connectionStatus, "REJECTED");
    assert.equal(mapped.errorMessage, "VPC endpoint not found");
  });

  it("derives regionName from the service name", () => {
    const legacy = {
      id: SERVICE_ID,
      endpointServiceName: SERVICE_NAME,
      errorMessage: null,
      interfaceEndpoints: [VPCE_ID],
      status: "AVAILABLE",
    };

    assert.deepEqual(routes.toEndpointService(legacy), {
      ...legacy,
      cloudProvider: "AWS",
      regionName: "EU_WEST_2",
    });
  });

  it("prefers the service name over the requested region", () => {
    const legacy = { id: SERVICE_ID, endpointServiceName: SERVICE_NAME, status: "WAITING_FOR_USER" };

    assert.equal(routes.toEndpointService(legacy, "us-east-1").regionName, "EU_WEST_2");
  });

  it("takes regionName from the create request while INITIATING", () => {
    const legacy = { id: SERVICE_ID, endpointServiceName: null, interfaceEndpoints: [], status: "INITIATING" };

    const mapped = routes.toEndpointService(legacy, "ap-southeast-2");

    assert.equal(mapped.regionName, "AP_SOUTHEAST_2");
    assert.equal(mapped.cloudProvider, "AWS");
    assert.equal(mapped.endpointServiceName, null);
  });

  it("leaves regionName out when nothing names the region", () => {
    const legacy = { id: SERVICE_ID, endpointServiceName: null, status: "INITIATING" };

    const mapped = routes.toEndpointService(legacy);

    assert.equal("regionName" in mapped, false);
    assert.equal(mapped.status, "INITIATING");
  });

  it("ignores a service name of another form", () => {
    const legacy = { id: SERVICE_ID, endpointServiceName: "vpce-svc-0a1b2c3d4e5f67890", status: "AVAILABLE" };

    assert.equal("regionName" in routes.toEndpointService(legacy), false);
  });
});

describe("v2 response mapping", () => {
  const routes = privateEndpointRoutes("v2");

  it("returns an endpoint service unchanged", () => {
    const service = {
      id: SERVICE_ID,
      cloudProvider: "AWS",
      endpointServiceName: SERVICE_NAME,
      errorMessage: null,
      interfaceEndpoints: [],
      regionName: "EU_WEST_2",
      status: "WAITING_FOR_USER",
    };

    assert.deepEqual(routes.toEndpointService(service, "us-east-1"), service);
  });

  it("returns an interface endpoint unchanged", () => {
    const endpoint = {
      cloudProvider: "AWS",
      interfaceEndpointId: VPCE_ID,
      connectionStatus: "PENDING",
      deleteRequested: false,
      errorMessage: null,
    };

    assert.deepEqual(routes.toInterfaceEndpoint(endpoint), endpoint);
  });
});
