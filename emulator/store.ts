import { randomBytes } from "node:crypto";
import {
  groupNotFound,
  interfaceEndpointAlreadyExists,
  interfaceEndpointNotFound,
  serviceAlreadyExistsForRegion,
  serviceCannotAcceptEndpoints,
  serviceHasEndpoints,
  serviceNotFound,
  ControlError,
} from "./errors";
import type { EndpointServiceBody, InterfaceEndpointBody, TransitionTiming } from "./types";

/** Statuses before the final one; NONE occurs only for interface endpoints created through the legacy API. */
const PENDING_STATUSES: ReadonlySet<string> = new Set(["NONE", "PENDING_ACCEPTANCE", "PENDING"]);

/** The next phase of the normal interface endpoint lifecycle, before the final status. */
const NEXT_PENDING_PHASE: ReadonlyMap<string, string> = new Map([
  ["NONE", "PENDING_ACCEPTANCE"],
  ["PENDING_ACCEPTANCE", "PENDING"],
]);

/** Pattern of project and endpoint service ids: 24 lowercase hex characters. */
export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * Outcome of future creates of one interface endpoint id. The endpoint follows the normal lifecycle until it
 * reaches `connectionStatus`, shows `errorMessage` from then on, and stays there for good when `hold` is set.
 * `pendingErrorMessage` is shown by GETs while the endpoint is still PENDING_ACCEPTANCE or PENDING.
 */
export interface OutcomeRule {
  interfaceEndpointId: string;
  connectionStatus: string;
  errorMessage: string | null;
  pendingErrorMessage: string | null;
  hold: boolean;
  /** Creates left that the rule applies to; null means every future create. */
  remaining: number | null;
}

/** A status forced on an existing object through the control interface. */
export interface ForcedStatus {
  status: string;
  errorMessage: string | null;
  hold: boolean;
  /** Interface endpoints only; defaults to true for DELETING and false otherwise. */
  deleteRequested?: boolean;
}

interface EndpointRecord {
  interfaceEndpointId: string;
  phase: string;
  phaseStartedAt: number;
  held: boolean;
  deleteRequested: boolean;
  errorMessage: string | null;
  outcome: OutcomeRule | undefined;
}

/** READY means the status follows the endpoints; PINNED shows `pinnedStatus` until forced again. */
type ServicePhase = "INITIATING" | "READY" | "FAILED" | "DELETING" | "PINNED";

interface ServiceRecord {
  id: string;
  region: string;
  endpointServiceName: string;
  phase: ServicePhase;
  pinnedStatus: string;
  phaseStartedAt: number;
  held: boolean;
  errorMessage: string | null;
  endpoints: Map<string, EndpointRecord>;
}

interface ProjectRecord {
  id: string;
  name: string;
  services: Map<string, ServiceRecord>;
}

/** An endpoint service in {@link EmulatorState}, with the control-only `hold` flag and its endpoints. */
export interface ServiceState extends EndpointServiceBody {
  hold: boolean;
  endpoints: (InterfaceEndpointBody & { hold: boolean })[];
}

/** All projects with the current status of every service and interface endpoint. */
export interface EmulatorState {
  projects: { id: string; name: string; services: ServiceState[] }[];
}

/** Returns a new 24-hex id built like a MongoDB ObjectId: a seconds timestamp followed by random bytes. */
export function newObjectId(now: number = Date.now()): string {
  const seconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, "0")
    .slice(-8);
  return seconds + randomBytes(8).toString("hex");
}

/** Converts an AWS region name such as `us-east-1` to the Atlas form `US_EAST_1`. */
export function toAtlasRegionName(region: string): string {
  return region.toUpperCase().replace(/-/g, "_");
}

/**
 * Projects, AWS endpoint services and interface endpoints, with statuses derived from time.
 *
 * Every object records its current phase and when the phase started. {@link advance} moves each object through
 * every phase whose duration has elapsed, taking durations from the current timing, so a timing change also
 * applies to the phase in progress. Methods used by the Atlas routes throw {@link AtlasError}.
 */
export class Store {
  timing: TransitionTiming;
  private readonly projects = new Map<string, ProjectRecord>();
  private readonly outcomes = new Map<string, OutcomeRule>();

  constructor(
    timing: TransitionTiming,
    private readonly removeServiceWithLastEndpoint: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.timing = { ...timing };
  }

  /** Applies every phase transition that is due by now. */
  advance(): void {
    const now = this.now();
    for (const project of this.projects.values()) {
      for (const service of [...project.services.values()]) {
        if (this.advanceService(service, now)) {
          project.services.delete(service.id);
        }
      }
    }
  }

  // Projects

  /** Creates a project; throws ControlError 400 for a malformed id and 409 for an existing one. */
  addProject(id: string = newObjectId(this.now()), name?: string): { id: string; name: string } {
    if (!OBJECT_ID_PATTERN.test(id)) {
      throw new ControlError(400, `Invalid project id "${id}": it must be 24 lowercase hexadecimal characters.`);
    }
    if (this.projects.has(id)) {
      throw new ControlError(409, `Project ${id} already exists.`);
    }
    const project: ProjectRecord = { id, name: name ?? `emulated-project-${id.slice(-6)}`, services: new Map() };
    this.projects.set(id, project);
    return { id: project.id, name: project.name };
  }

  hasProject(groupId: string): boolean {
    return this.projects.has(groupId);
  }

  /** Removes every project and outcome rule, then adds back the project `projectId`. */
  reset(projectId: string, timing: TransitionTiming): void {
    this.projects.clear();
    this.outcomes.clear();
    this.timing = { ...timing };
    this.addProject(projectId);
  }

  // Endpoint services

  createService(groupId: string, region: string): EndpointServiceBody {
    const project = this.requireProject(groupId);
    for (const existing of project.services.values()) {
      if (existing.region === region) {
        throw serviceAlreadyExistsForRegion(region);
      }
    }
    const now = this.now();
    const service: ServiceRecord = {
      id: newObjectId(now),
      region,
      endpointServiceName: `com.amazonaws.vpce.${region}.vpce-svc-${randomBytes(9).toString("hex").slice(0, 17)}`,
      phase: "INITIATING",
      pinnedStatus: "",
      phaseStartedAt: now,
      held: false,
      errorMessage: null,
      endpoints: new Map(),
    };
    project.services.set(service.id, service);
    this.settle(project, service);
    return this.serviceBody(service);
  }

  listServices(groupId: string): EndpointServiceBody[] {
    const project = this.requireProject(groupId);
    return [...project.services.values()].map((service) => this.serviceBody(service));
  }

  getService(groupId: string, serviceId: string): EndpointServiceBody {
    return this.serviceBody(this.requireService(groupId, serviceId));
  }

  /** Starts the deletion of a service; throws 409 while the service still has interface endpoints. */
  deleteService(groupId: string, serviceId: string): void {
    const project = this.requireProject(groupId);
    const service = this.requireService(groupId, serviceId);
    if (service.endpoints.size > 0) {
      throw serviceHasEndpoints(serviceId);
    }
    if (service.phase !== "DELETING") {
      this.enterServicePhase(service, "DELETING", this.now());
    }
    this.settle(project, service);
  }

  // Interface endpoints

  /**
   * Attaches an interface endpoint, which starts in `initialPhase`: PENDING_ACCEPTANCE for the v2 API, NONE for the
   * legacy API. Throws 409 when the vpce id is attached anywhere in the project or the service is not ready.
   */
  createEndpoint(
    groupId: string,
    serviceId: string,
    interfaceEndpointId: string,
    initialPhase: "NONE" | "PENDING_ACCEPTANCE" = "PENDING_ACCEPTANCE",
  ): InterfaceEndpointBody {
    const project = this.requireProject(groupId);
    const service = this.requireService(groupId, serviceId);
    for (const other of project.services.values()) {
      if (other.endpoints.has(interfaceEndpointId)) {
        throw interfaceEndpointAlreadyExists(interfaceEndpointId, other.id);
      }
    }
    const status = this.serviceStatus(service);
    if (status !== "WAITING_FOR_USER" && status !== "AVAILABLE") {
      throw serviceCannotAcceptEndpoints(serviceId, status);
    }
    const endpoint: EndpointRecord = {
      interfaceEndpointId,
      phase: initialPhase,
      phaseStartedAt: 0,
      held: false,
      deleteRequested: false,
      errorMessage: null,
      outcome: this.takeOutcome(interfaceEndpointId),
    };
    this.enterEndpointPhase(endpoint, initialPhase, this.now());
    service.endpoints.set(interfaceEndpointId, endpoint);
    this.settle(project, service);
    const body = this.endpointBody(endpoint);
    // Atlas has not asked AWS about the endpoint yet when it responds to the POST, so a pending error shows
    // up only on later GETs.
    return PENDING_STATUSES.has(body.connectionStatus) ? { ...body, errorMessage: null } : body;
  }

  getEndpoint(groupId: string, serviceId: string, interfaceEndpointId: string): InterfaceEndpointBody {
    return this.endpointBody(this.requireEndpoint(groupId, serviceId, interfaceEndpointId));
  }

  /** Starts the deletion of an interface endpoint; deleting one that is already DELETING changes nothing. */
  deleteEndpoint(groupId: string, serviceId: string, interfaceEndpointId: string): void {
    const project = this.requireProject(groupId);
    const service = this.requireService(groupId, serviceId);
    const endpoint = this.requireEndpoint(groupId, serviceId, interfaceEndpointId);
    if (endpoint.phase !== "DELETING") {
      endpoint.held = false;
      endpoint.deleteRequested = true;
      this.enterEndpointPhase(endpoint, "DELETING", this.now());
    }
    this.settle(project, service);
  }

  // Control operations

  /** Sets the outcome of future creates of `rule.interfaceEndpointId`, replacing an earlier rule for it. */
  setOutcome(rule: OutcomeRule): void {
    this.outcomes.set(rule.interfaceEndpointId, { ...rule });
  }

  listOutcomes(): OutcomeRule[] {
    return [...this.outcomes.values()].map((rule) => ({ ...rule }));
  }

  removeOutcome(interfaceEndpointId: string): boolean {
    return this.outcomes.delete(interfaceEndpointId);
  }

  clearOutcomes(): void {
    this.outcomes.clear();
  }

  /**
   * Puts a service in `forced.status` now. INITIATING and DELETING restart that timed phase, which `hold` freezes.
   * Without `hold`, WAITING_FOR_USER and AVAILABLE return the service to its ready state, where the status follows
   * its endpoints. FAILED and any other status stay until forced again.
   */
  forceService(groupId: string, serviceId: string, forced: ForcedStatus): EndpointServiceBody {
    const project = this.requireProject(groupId);
    const service = this.requireService(groupId, serviceId);
    const now = this.now();
    switch (forced.status) {
      case "INITIATING":
      case "DELETING":
      case "FAILED":
        this.enterServicePhase(service, forced.status, now);
        break;
      case "WAITING_FOR_USER":
      case "AVAILABLE":
        this.enterServicePhase(service, forced.hold ? "PINNED" : "READY", now);
        break;
      default:
        this.enterServicePhase(service, "PINNED", now);
    }
    service.pinnedStatus = forced.status;
    service.held = forced.hold;
    service.errorMessage = forced.errorMessage;
    this.settle(project, service);
    return this.serviceBody(service);
  }

  /**
   * Puts an interface endpoint in `forced.status` now and drops the outcome rule it was created with. The endpoint
   * continues its normal lifecycle from that status unless `hold` is set.
   */
  forceEndpoint(
    groupId: string,
    serviceId: string,
    interfaceEndpointId: string,
    forced: ForcedStatus,
  ): InterfaceEndpointBody {
    const project = this.requireProject(groupId);
    const service = this.requireService(groupId, serviceId);
    const endpoint = this.requireEndpoint(groupId, serviceId, interfaceEndpointId);
    endpoint.outcome = undefined;
    this.enterEndpointPhase(endpoint, forced.status, this.now());
    endpoint.held = forced.hold;
    endpoint.errorMessage = forced.errorMessage;
    endpoint.deleteRequested = forced.deleteRequested ?? forced.status === "DELETING";
    this.settle(project, service);
    return this.endpointBody(endpoint);
  }

  /** Removes a service and its interface endpoints at once, as a deletion in the Atlas UI would. */
  removeServiceNow(groupId: string, serviceId: string): void {
    this.requireService(groupId, serviceId);
    this.requireProject(groupId).services.delete(serviceId);
  }

  /** Removes an interface endpoint at once; this never removes its service. */
  removeEndpointNow(groupId: string, serviceId: string, interfaceEndpointId: string): void {
    this.requireEndpoint(groupId, serviceId, interfaceEndpointId);
    this.requireService(groupId, serviceId).endpoints.delete(interfaceEndpointId);
  }

  snapshot(): EmulatorState {
    return {
      projects: [...this.projects.values()].map((project) => ({
        id: project.id,
        name: project.name,
        services: [...project.services.values()].map((service) => ({
          ...this.serviceBody(service),
          hold: service.held,
          endpoints: [...service.endpoints.values()].map((endpoint) => ({
            ...this.endpointBody(endpoint),
            hold: endpoint.held,
          })),
        })),
      })),
    };
  }

  // Lifecycle

  private takeOutcome(interfaceEndpointId: string): OutcomeRule | undefined {
    const rule = this.outcomes.get(interfaceEndpointId);
    if (rule === undefined) {
      return undefined;
    }
    if (rule.remaining !== null) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) {
        this.outcomes.delete(interfaceEndpointId);
      }
    }
    return { ...rule };
  }

  private enterEndpointPhase(endpoint: EndpointRecord, phase: string, at: number): void {
    endpoint.phase = phase;
    endpoint.phaseStartedAt = at;
    const outcome = endpoint.outcome;
    if (outcome !== undefined && outcome.connectionStatus === phase) {
      endpoint.errorMessage = outcome.errorMessage;
      endpoint.held = outcome.hold;
    } else if (PENDING_STATUSES.has(phase)) {
      endpoint.errorMessage = outcome?.pendingErrorMessage ?? null;
    } else if (phase !== "DELETING") {
      endpoint.errorMessage = null;
    }
  }

  private endpointPhaseDuration(phase: string): number | undefined {
    switch (phase) {
      case "NONE":
        return this.timing.endpointNoneMs;
      case "PENDING_ACCEPTANCE":
        return this.timing.endpointPendingAcceptanceMs;
      case "PENDING":
        return this.timing.endpointPendingMs;
      case "DELETING":
        return this.timing.endpointDeletingMs;
      default:
        return undefined;
    }
  }

  /** Advances one endpoint; returns the time its deletion finished, or undefined while it still exists. */
  private advanceEndpoint(endpoint: EndpointRecord, now: number): number | undefined {
    while (!endpoint.held) {
      const duration = this.endpointPhaseDuration(endpoint.phase);
      if (duration === undefined) {
        return undefined;
      }
      const endsAt = endpoint.phaseStartedAt + duration;
      if (now < endsAt) {
        return undefined;
      }
      if (endpoint.phase === "DELETING") {
        return endsAt;
      }
      const outcomeStatus = endpoint.outcome?.connectionStatus;
      const finalStatus =
        outcomeStatus !== undefined && !PENDING_STATUSES.has(outcomeStatus) ? outcomeStatus : "AVAILABLE";
      this.enterEndpointPhase(endpoint, NEXT_PENDING_PHASE.get(endpoint.phase) ?? finalStatus, endsAt);
    }
    return undefined;
  }

  private enterServicePhase(service: ServiceRecord, phase: ServicePhase, at: number): void {
    service.phase = phase;
    service.phaseStartedAt = at;
    service.held = false;
  }

  private servicePhaseDuration(phase: ServicePhase): number | undefined {
    switch (phase) {
      case "INITIATING":
        return this.timing.serviceInitiatingMs;
      case "DELETING":
        return this.timing.serviceDeletingMs;
      default:
        return undefined;
    }
  }

  /** Advances a service and its endpoints; returns true once the service is gone. */
  private advanceService(service: ServiceRecord, now: number): boolean {
    let lastRemovalAt: number | undefined;
    for (const endpoint of [...service.endpoints.values()]) {
      const removedAt = this.advanceEndpoint(endpoint, now);
      if (removedAt !== undefined) {
        service.endpoints.delete(endpoint.interfaceEndpointId);
        lastRemovalAt = Math.max(lastRemovalAt ?? removedAt, removedAt);
      }
    }
    if (
      this.removeServiceWithLastEndpoint &&
      lastRemovalAt !== undefined &&
      service.endpoints.size === 0 &&
      service.phase !== "DELETING"
    ) {
      this.enterServicePhase(service, "DELETING", lastRemovalAt);
    }
    while (!service.held) {
      const duration = this.servicePhaseDuration(service.phase);
      if (duration === undefined) {
        return false;
      }
      const endsAt = service.phaseStartedAt + duration;
      if (now < endsAt) {
        return false;
      }
      if (service.phase === "DELETING") {
        return true;
      }
      this.enterServicePhase(service, "READY", endsAt);
    }
    return false;
  }

  /** Applies transitions that are already due, such as those of a zero duration, right after a change. */
  private settle(project: ProjectRecord, service: ServiceRecord): void {
    if (this.advanceService(service, this.now())) {
      project.services.delete(service.id);
    }
  }

  private serviceStatus(service: ServiceRecord): string {
    switch (service.phase) {
      case "READY":
        for (const endpoint of service.endpoints.values()) {
          if (endpoint.phase === "AVAILABLE") {
            return "AVAILABLE";
          }
        }
        return "WAITING_FOR_USER";
      case "PINNED":
        return service.pinnedStatus;
      default:
        return service.phase;
    }
  }

  private serviceBody(service: ServiceRecord): EndpointServiceBody {
    return {
      id: service.id,
      cloudProvider: "AWS",
      endpointServiceName: service.phase === "INITIATING" ? null : service.endpointServiceName,
      errorMessage: service.errorMessage,
      interfaceEndpoints: [...service.endpoints.keys()],
      regionName: toAtlasRegionName(service.region),
      status: this.serviceStatus(service),
    };
  }

  private endpointBody(endpoint: EndpointRecord): InterfaceEndpointBody {
    return {
      cloudProvider: "AWS",
      interfaceEndpointId: endpoint.interfaceEndpointId,
      connectionStatus: endpoint.phase,
      deleteRequested: endpoint.deleteRequested,
      errorMessage: endpoint.errorMessage,
    };
  }

  private requireProject(groupId: string): ProjectRecord {
    const project = this.projects.get(groupId);
    if (project === undefined) {
      throw groupNotFound(groupId);
    }
    return project;
  }

  private requireService(groupId: string, serviceId: string): ServiceRecord {
    const service = this.requireProject(groupId).services.get(serviceId);
    if (service === undefined) {
      throw serviceNotFound(serviceId);
    }
    return service;
  }

  private requireEndpoint(groupId: string, serviceId: string, interfaceEndpointId: string): EndpointRecord {
    const endpoint = this.requireService(groupId, serviceId).endpoints.get(interfaceEndpointId);
    if (endpoint === undefined) {
      throw interfaceEndpointNotFound(interfaceEndpointId);
    }
    return endpoint;
  }
}
