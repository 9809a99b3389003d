import * as assert from "node:assert/strict";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { EmulatorControl } from "./support/emulatorControl";
import { assertNoKeyLeaked } from "./support/keyAudit";
import { destroyStackAndCloseEmulator, PulumiStack, REPO_ROOT } from "./support/pulumiStack";

const PROGRAM_DIR = path.join(REPO_ROOT, "tests", "e2e", "programs", "interface-link");
const VPCE = "vpce-0f1e2d3c4b5a69788";

describe("credentials from environment variables", function () {
  this.timeout(10 * 60 * 1000);

  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: PulumiStack;

  before(async function () {
    emulator = await startEmulator({
      timing: {
        serviceInitiatingMs: 300,
        serviceDeletingMs: 300,
        endpointPendingAcceptanceMs: 300,
        endpointPendingMs: 300,
        endpointDeletingMs: 300,
      },
    });
    control = new EmulatorControl(emulator.baseUrl);
    stack = await PulumiStack.create({
      programDir: PROGRAM_DIR,
      config: {
        "interface-link-e2e:projectId": emulator.projectId,
        "interface-link-e2e:interfaceEndpointId": VPCE,
      },
      env: {
        MONGODB_ATLAS_PUBLIC_API_KEY: emulator.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: emulator.privateKey,
        MONGODB_ATLAS_BASE_URL: emulator.baseUrl,
      },
    });
  });

  afterEach(async function () {
    await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: false });
  });

  after(async function () {
    await destroyStackAndCloseEmulator(stack, emulator);
  });

  it("up reaches AVAILABLE with keys from the environment", async function () {
    await stack.up();
    const outputs = await stack.outputs();
    assert.equal(outputs.connectionStatus, "AVAILABLE");
    assert.equal((outputs.lookup as Record<string, unknown>).connectionStatus, "AVAILABLE");
  });

  it("decrypted state contains neither key", async function () {
    const state = await stack.exportState({ showSecrets: true });
    assert.ok(state.includes(VPCE), "the state holds the link");
    assert.ok(!state.includes(emulator.privateKey), "private key in the state");
    assert.ok(!state.includes(emulator.publicKey), "public key in the state");
  });

  it("destroy removes the link and the service", async function () {
    await stack.destroy();
    const objects = await control.state();
    assert.deepEqual(objects.endpoints, []);
    assert.deepEqual(objects.services, []);
    const output = stack.allOutput();
    assert.ok(!output.includes(emulator.privateKey), "private key in the CLI output");
    assert.ok(!output.includes(emulator.publicKey), "public key in the CLI output");
  });
});
