/**
 * Connection status of an AWS interface endpoint as Atlas reports it. NONE comes from the legacy API only.
 * Atlas may report values outside this list, so code reading the field must handle any string.
 */
export type ConnectionStatus = "NONE" | "PENDING_ACCEPTANCE" | "PENDING" | "AVAILABLE" | "REJECTED" | "DELETING";

/** Status of an Atlas private endpoint service. */
export type EndpointServiceStatus = "INITIATING" | "WAITING_FOR_USER" | "AVAILABLE" | "FAILED" | "DELETING";

/** An AWS interface endpoint attached to an Atlas endpoint service, as returned by the Atlas Admin API v2. */
export interface InterfaceEndpoint {
  cloudProvider: string;
  interfaceEndpointId: string;
  /** One of {@link ConnectionStatus}, or a status this package does not know. */
  connectionStatus?: string;
  deleteRequested?: boolean;
  /** Null when Atlas reports no error. */
  errorMessage?: string | null;
}

/** An Atlas private endpoint service for AWS, as returned by the Atlas Admin API v2. */
export interface EndpointService {
  id: string;
  cloudProvider: string;
  /** `com.amazonaws.vpce.<region>.vpce-svc-<hex>`, null while Atlas is still creating the service. */
  endpointServiceName?: string | null;
  errorMessage?: string | null;
  /** The vpce ids of the interface endpoints attached to the service. */
  interfaceEndpoints?: string[];
  /** Atlas region name such as `US_EAST_1`. */
  regionName?: string;
  /** One of {@link EndpointServiceStatus}, or a status this package does not know. */
  status?: string;
}

/**
 * The Atlas Admin API calls this package makes. Every method rejects with an AtlasApiError when Atlas
 * responds with a non-2xx status, and with a plain Error when the request itself fails.
 */
export interface AtlasApi {
  createInterfaceEndpoint(
    projectId: string,
    privateLinkId: string,
    interfaceEndpointId: string,
  ): Promise<InterfaceEndpoint>;
  getInterfaceEndpoint(
    projectId: string,
    privateLinkId: string,
    interfaceEndpointId: string,
  ): Promise<InterfaceEndpoint>;
  deleteInterfaceEndpoint(projectId: string, privateLinkId: string, interfaceEndpointId: string): Promise<void>;
  /** Creates an endpoint service; `region` is the AWS region name such as `us-east-1`. */
  createEndpointService(projectId: string, region: string): Promise<EndpointService>;
  getEndpointService(projectId: string, privateLinkId: string): Promise<EndpointService>;
  listEndpointServices(projectId: string): Promise<EndpointService[]>;
  deleteEndpointService(projectId: string, privateLinkId: string): Promise<void>;
}
