/** An interface endpoint as the emulator's control interface reports it. */
export interface EmulatorEndpoint {
  interfaceEndpointId: string;
  connectionStatus: string;
  deleteRequested: boolean;
  errorMessage: string | null;
}

/** An endpoint service as the emulator's control interface reports it. */
export interface EmulatorService {
  id: string;
  status: string;
  endpoints: EmulatorEndpoint[];
}

/** The emulator's objects, flattened across projects. */
export interface EmulatorObjects {
  services: EmulatorService[];
  endpoints: EmulatorEndpoint[];
}

/** One line of the emulator's request log. */
export interface EmulatorRequest {
  method: string;
  path: string;
  status: number;
  /** `Host` header as received, or null when the request had none. */
  host: string | null;
  /** True when the request arrived on the emulator's HTTPS listener. */
  tls: boolean;
  /** TLS server name (SNI) the client sent, or null for plain HTTP. */
  serverName: string | null;
  /** Authorization scheme checked: digest or bearer on API routes, basic on the OAuth token route. */
  authScheme: "digest" | "bearer" | "basic" | null;
}

/** Tokens the emulator issued to one service account. */
export interface EmulatorTokenSummary {
  clientId: string;
  issued: number;
  active: number;
}

/**
 * Client for the emulator's control routes under `/__emulator/`, used by the end-to-end tests to read the
 * emulator's objects, delete them out of band and force outcomes. Every method rejects when a route fails.
 */
export class EmulatorControl {
  constructor(private readonly baseUrl: string) {}

  private async call(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}/__emulator/${route}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`emulator control ${method} ${route} returned ${response.status}: ${text}`);
    }
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  }

  /** Returns every endpoint service and interface endpoint that still exists, DELETING ones included. */
  async state(): Promise<EmulatorObjects> {
    const snapshot = (await this.call("GET", "state")) as { projects: { services: EmulatorService[] }[] };
    const services = snapshot.projects.flatMap((project) => project.services);
    return { services, endpoints: services.flatMap((service) => service.endpoints) };
  }

  /** Returns the emulator's request log. */
  async requests(): Promise<EmulatorRequest[]> {
    return ((await this.call("GET", "requests")) as { requests: EmulatorRequest[] }).requests;
  }

  /** Returns how many tokens each service account received since the start or the last reset. */
  async tokens(): Promise<EmulatorTokenSummary[]> {
    return ((await this.call("GET", "tokens")) as { clients: EmulatorTokenSummary[] }).clients;
  }

  /** Removes an interface endpoint at once, as a deletion in the Atlas UI would. */
  async deleteInterfaceEndpoint(projectId: string, serviceId: string, interfaceEndpointId: string): Promise<void> {
    await this.call("DELETE", `projects/${projectId}/services/${serviceId}/endpoints/${interfaceEndpointId}`);
  }

  /**
   * Sets an interface endpoint's status now. It continues its normal lifecycle from there unless `hold` keeps it in
   * that status.
   */
  async forceInterfaceEndpoint(
    projectId: string,
    serviceId: string,
    interfaceEndpointId: string,
    force: { connectionStatus: string; errorMessage?: string; hold?: boolean },
  ): Promise<void> {
    await this.call(
      "POST",
      `projects/${projectId}/services/${serviceId}/endpoints/${interfaceEndpointId}/force`,
      force,
    );
  }

  /** Sets how the next interface endpoint created with this vpce id ends. */
  async setOutcome(outcome: {
    interfaceEndpointId: string;
    connectionStatus: string;
    errorMessage?: string;
    hold?: boolean;
  }): Promise<void> {
    await this.call("POST", "outcomes", outcome);
  }

  /** Removes every outcome rule, so new interface endpoints follow the normal lifecycle again. */
  async clearOutcomes(): Promise<void> {
    await this.call("DELETE", "outcomes");
  }

  /**
   * Adds a fault rule: the next `count` requests matching `method` and the `path` glob get `status`, a delay or a
   * dropped connection. See the emulator's README for every field.
   */
  async addFault(fault: {
    method?: string;
    path: string;
    status?: number;
    retryAfterSeconds?: number;
    count?: number;
    delayMs?: number;
    drop?: boolean;
    afterOperation?: boolean;
  }): Promise<void> {
    await this.call("POST", "faults", fault);
  }

  /** Removes every fault rule. */
  async clearFaults(): Promise<void> {
    await this.call("DELETE", "faults");
  }

  /** Changes lifecycle phase durations, in milliseconds. */
  async setTiming(timing: Record<string, number>): Promise<void> {
    await this.call("PUT", "timing", timing);
  }

  /** Clears the request log. */
  async clearRequests(): Promise<void> {
    await this.call("DELETE", "requests");
  }

  /** Restores the emulator's start state: no objects, rules, faults or rate limit. */
  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }
}
