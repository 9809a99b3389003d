import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { EmulatorControl } from "./support/emulatorControl";
import {
  createProjectFolder,
  INSTALLED_PULUMI_VERSION,
  installPackages,
  packPackage,
  repackWithVersion,
  repositoryPackageVersion,
} from "./support/installedPackage";
import { assertNoKeyLeaked } from "./support/keyAudit";
import { PulumiStack, REPO_ROOT } from "./support/pulumiStack";
import type { StateResource } from "./support/pulumiStack";

const PACKAGE_NAME = "pulumi-atlas-privatelink";
const TEMPLATE_DIR = path.join(REPO_ROOT, "tests", "e2e", "programs", "interface-link");
const TEMPLATE_FILES = ["Pulumi.yaml", "index.ts", "tsconfig.json"];
const VPCE = "vpce-0a1b2c3d4e5f60718";
const UPGRADED_VERSION = "99.0.0-upgrade-test";

/** The require() that the serialized provider of each resource type must consist of. */
const PROVIDER_REQUIRES: Record<string, string> = {
  PrivateEndpointInterfaceLink: `require("${PACKAGE_NAME}/dist/provider/lazyInterfaceLinkProvider.js")`,
  PrivateEndpoint: `require("${PACKAGE_NAME}/dist/provider/lazyPrivateEndpointProvider.js")`,
};

/** Returns the resources of this package in the exported state, keyed by the last part of their type. */
function packageResources(resources: StateResource[]): Map<string, StateResource> {
  const kinds = Object.keys(PROVIDER_REQUIRES);
  const own = resources.filter((resource) => kinds.some((kind) => resource.type.endsWith(`:${kind}`)));
  return new Map(own.map((resource) => [resource.type.split(":").pop() ?? "", resource]));
}

describe("installed package through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);

  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let projectDir: string;
  let tarball: string;
  let stack: PulumiStack;

  before(async function () {
    emulator = await startEmulator({
      timing: {
        serviceInitiatingMs: 500,
        serviceDeletingMs: 300,
        endpointPendingAcceptanceMs: 500,
        endpointPendingMs: 500,
        endpointDeletingMs: 300,
      },
    });
    control = new EmulatorControl(emulator.baseUrl);

    // A fresh TypeScript project outside the repository, with the package installed from its tarball as a user would.
    projectDir = await createProjectFolder("atlas-privatelink-installed-", "installed-package-e2e");
    for (const file of TEMPLATE_FILES) {
      await fs.copyFile(path.join(TEMPLATE_DIR, file), path.join(projectDir, file));
    }
    tarball = await packPackage(projectDir);
    await installPackages(projectDir, [tarball, `@pulumi/pulumi@${INSTALLED_PULUMI_VERSION}`]);
    const devTools = ["typescript", "ts-node", "@types/node"].map(
      (name) => `${name}@${repositoryPackageVersion(name)}`,
    );
    await installPackages(projectDir, devTools, { dev: true });

    stack = await PulumiStack.create({
      programDir: projectDir,
      config: {
        "mongodbatlas:baseUrl": emulator.baseUrl,
        "interface-link-e2e:projectId": emulator.projectId,
        "interface-link-e2e:interfaceEndpointId": VPCE,
      },
      secretConfig: { "mongodbatlas:publicKey": emulator.publicKey, "mongodbatlas:privateKey": emulator.privateKey },
    });
  });

  afterEach(async function () {
    await assertNoKeyLeaked(stack, control, emulator, { keysInConfig: true });
  });

  after(async function () {
    if (stack) {
      await stack.destroy({ allowFailure: true });
      await stack.dispose();
    }
    if (projectDir) {
      await fs.rm(projectDir, { recursive: true, force: true });
    }
    if (emulator) {
      await emulator.close();
    }
  });

  async function installedManifest(): Promise<{ version: string }> {
    const manifestPath = path.join(projectDir, "node_modules", PACKAGE_NAME, "package.json");
    return JSON.parse(await fs.readFile(manifestPath, "utf8")) as { version: string };
  }

  it("project lies outside the repository", function () {
    const relative = path.relative(REPO_ROOT, projectDir);
    assert.ok(relative.startsWith(".."), `${projectDir} is inside ${REPO_ROOT}`);
  });

  it("installs the package from its tarball", async function () {
    const repositoryManifest = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    assert.equal((await installedManifest()).version, repositoryManifest.version);
    const installed = await fs.readdir(path.join(projectDir, "node_modules", PACKAGE_NAME));
    assert.deepEqual(installed.sort(), ["LICENSE", "README.md", "dist", "package.json"]);
  });

  it("up creates the link from the installed package", async function () {
    await stack.up();
    const outputs = await stack.outputs();
    assert.equal(outputs.connectionStatus, "AVAILABLE");
    assert.equal(outputs.linkId, `${emulator.projectId}--${String(outputs.privateLinkId)}--${VPCE}--AWS`);
    const endpoints = (await control.state()).endpoints;
    assert.deepEqual(
      endpoints.map((endpoint) => [endpoint.interfaceEndpointId, endpoint.connectionStatus]),
      [[VPCE, "AVAILABLE"]],
    );
  });

  it("state stores a require() of the installed package", async function () {
    const resources = packageResources(await stack.resources());
    assert.deepEqual([...resources.keys()].sort(), Object.keys(PROVIDER_REQUIRES).sort());
    for (const [kind, expectedRequire] of Object.entries(PROVIDER_REQUIRES)) {
      const resource = resources.get(kind);
      const serialized = resource?.outputs?.__provider;
      assert.equal(typeof serialized, "string", `${kind} has a serialized provider`);
      const text = serialized as string;
      assert.ok(text.includes(expectedRequire), `${kind} provider requires the package:\n${text}`);
      assert.ok(!text.includes(REPO_ROOT), `${kind} provider names the repository:\n${text}`);
      assert.ok(!text.includes(projectDir), `${kind} provider names an absolute path:\n${text}`);
      // Code that lives only in the provider modules, which a copy by value would carry.
      assert.ok(!text.includes("AtlasClient"), `${kind} provider copies the Atlas client:\n${text}`);
      assert.ok(!text.includes("pollUntil"), `${kind} provider copies the polling code:\n${text}`);
      assert.equal(resource?.inputs?.__provider, serialized, `${kind} stores the same provider in its inputs`);
    }
  });

  it("refresh changes nothing", async function () {
    await stack.refresh({ expectNoChanges: true });
  });

  it("version-only upgrade plans no change", async function () {
    const stateBefore = packageResources(await stack.resources());
    const upgraded = await repackWithVersion(tarball, UPGRADED_VERSION, projectDir);
    await installPackages(projectDir, [upgraded]);
    assert.equal((await installedManifest()).version, UPGRADED_VERSION);

    const preview = await stack.preview({ expectNoChanges: true });
    assert.doesNotMatch(preview.stdout, /to (create|update|replace|delete)/);

    // The stored require() resolves to the upgraded package, so refresh runs its code and still finds the link.
    await stack.refresh({ expectNoChanges: true });
    const stateAfter = packageResources(await stack.resources());
    for (const kind of Object.keys(PROVIDER_REQUIRES)) {
      assert.equal(stateAfter.get(kind)?.outputs?.__provider, stateBefore.get(kind)?.outputs?.__provider, kind);
    }
  });

  it("up after the upgrade changes nothing", async function () {
    await stack.up({ expectNoChanges: true });
  });

  it("destroy removes the link and the endpoint service", async function () {
    await stack.destroy();
    const state = await control.state();
    assert.deepEqual(state.endpoints, []);
    assert.deepEqual(state.services, []);
    assert.equal(packageResources(await stack.resources()).size, 0);
  });
});
