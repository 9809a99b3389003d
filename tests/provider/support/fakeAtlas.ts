import sinon from "sinon";
import type { AtlasApi, EndpointService, InterfaceEndpoint } from "../../../provider/atlas";
import { AtlasApiError } from "../../../provider/atlas";
import type { Clock } from "../../../provider/polling";

/** An AtlasApi whose every method is a sinon stub that rejects until a test configures it. */
export type StubbedAtlasApi = {
  [K in keyof AtlasApi]: sinon.SinonStub<Parameters<AtlasApi[K]>, ReturnType<AtlasApi[K]>>;
};

/** Returns an AtlasApi of sinon stubs; an unconfigured call rejects, so a test notices calls it did not expect. */
export function stubAtlasApi(): StubbedAtlasApi {
  return {
    createInterfaceEndpoint: unexpectedCall("createInterfaceEndpoint"),
    getInterfaceEndpoint: unexpectedCall("getInterfaceEndpoint"),
    deleteInterfaceEndpoint: unexpectedCall("deleteInterfaceEndpoint"),
    createEndpointService: unexpectedCall("createEndpointService"),
    getEndpointService: unexpectedCall("getEndpointService"),
    listEndpointServices: unexpectedCall("listEndpointServices"),
    deleteEndpointService: unexpectedCall("deleteEndpointService"),
  };
}

function unexpectedCall<K extends keyof AtlasApi>(name: K): StubbedAtlasApi[K] {
  return sinon
    .stub<Parameters<AtlasApi[K]>, ReturnType<AtlasApi[K]>>()
    .rejects(new Error(`unexpected call to ${name}`)) as StubbedAtlasApi[K];
}

/** Returns the total number of calls to every method of `api`. */
export function totalCalls(api: StubbedAtlasApi): number {
  return Object.values(api).reduce((sum: number, stub: sinon.SinonStub) => sum + stub.callCount, 0);
}

/** Builds the AtlasApiError the client throws for an HTTP error status with an Atlas error body. */
export function atlasError(statusCode: number, errorCode: string, detail: string): AtlasApiError {
  return new AtlasApiError({
    method: "GET",
    path: "/api/atlas/v2/groups/test/privateEndpoint",
    statusCode,
    body: JSON.stringify({ detail, error: statusCode, errorCode, parameters: [], reason: "test" }),
  });
}

/** Builds the 404 error Atlas returns for a missing endpoint. */
export function notFound(): AtlasApiError {
  return atlasError(404, "RESOURCE_NOT_FOUND", "Cannot find resource");
}

/**
 * Builds the 404 that listing the project's endpoint services gets from a base URL with the API path in it, which
 * doubles the path.
 */
export function listingNotFound(): AtlasApiError {
  return new AtlasApiError({
    method: "GET",
    path: `/api/atlas/v2/api/atlas/v2/groups/${IDS.projectId}/privateEndpoint/AWS/endpointService`,
    statusCode: 404,
    body: JSON.stringify({ detail: "Cannot find resource", error: 404, errorCode: "RESOURCE_NOT_FOUND" }),
  });
}

/** Builds an interface endpoint object as Atlas returns it. */
export function endpoint(
  interfaceEndpointId: string,
  connectionStatus: string,
  errorMessage: string | null = null,
): InterfaceEndpoint {
  return { cloudProvider: "AWS", interfaceEndpointId, connectionStatus, deleteRequested: false, errorMessage };
}

/** Builds an endpoint service object as Atlas returns it. */
export function service(id: string, status: string, endpointServiceName: string | null): EndpointService {
  return {
    id,
    cloudProvider: "AWS",
    endpointServiceName,
    errorMessage: null,
    interfaceEndpoints: [],
    regionName: "US_EAST_1",
    status,
  };
}

/** A clock that advances only when slept on, and records every sleep in milliseconds. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private current = 1_000_000;

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
    return Promise.resolve();
  }

  /** Moves the time forward without a sleep, as a slow request would. */
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Collects log lines written by a provider. */
export function collectLog(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}

/** Ids used across the provider tests. */
export const IDS = {
  projectId: "5f0a1b2c3d4e5f6a7b8c9d0e",
  privateLinkId: "6a0b1c2d3e4f5a6b7c8d9e0f",
  interfaceEndpointId: "vpce-0a1b2c3d4e5f60718",
} as const;
