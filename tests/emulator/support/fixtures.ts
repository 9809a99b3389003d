import { startEmulator } from "../../../emulator";
import type { EmulatorOptions, RunningEmulator } from "../../../emulator";
import { AtlasTestClient, ControlClient, atlasPaths, waitFor } from "./atlasTestClient";

/** Short phase durations for lifecycle tests, in milliseconds. */
export const FAST_TIMING = {
  serviceInitiatingMs: 150,
  serviceDeletingMs: 150,
  endpointPendingAcceptanceMs: 150,
  endpointPendingMs: 150,
  endpointDeletingMs: 150,
};

/** A running emulator with an Atlas client for its primary key and a control client. */
export interface EmulatorFixture {
  emulator: RunningEmulator;
  atlas: AtlasTestClient;
  control: ControlClient;
  paths: ReturnType<typeof atlasPaths>;
}

export async function startFixture(options: EmulatorOptions = {}): Promise<EmulatorFixture> {
  const emulator = await startEmulator({ timing: FAST_TIMING, ...options });
  return {
    emulator,
    atlas: new AtlasTestClient(emulator.baseUrl, emulator.publicKey, emulator.privateKey),
    control: new ControlClient(emulator.baseUrl),
    paths: atlasPaths(emulator.projectId),
  };
}

/** Reads a JSON field of the response of `GET path`, or the status when the GET fails. */
export async function readStatus(
  fixture: EmulatorFixture,
  path: string,
  field: "status" | "connectionStatus",
): Promise<string | number> {
  const response = await fixture.atlas.get(path);
  if (response.status !== 200) {
    return response.status;
  }
  return (response.json as Record<string, string>)[field];
}

/** Creates an AWS endpoint service in us-east-1 (or `region`) and waits until it is WAITING_FOR_USER. */
export async function createReadyService(fixture: EmulatorFixture, region = "us-east-1"): Promise<string> {
  const created = await fixture.atlas.post(fixture.paths.createService, { providerName: "AWS", region });
  if (created.status !== 200) {
    throw new Error(`create service returned ${created.status}: ${created.text}`);
  }
  const serviceId = (created.json as { id: string }).id;
  await waitFor(
    () => readStatus(fixture, fixture.paths.service(serviceId), "status"),
    (status) => status === "WAITING_FOR_USER",
  );
  return serviceId;
}

/** Attaches an interface endpoint and returns the POST response. */
export async function createEndpoint(fixture: EmulatorFixture, serviceId: string, vpceId: string) {
  return fixture.atlas.post(fixture.paths.endpoints(serviceId), { id: vpceId });
}
