import * as fs from "node:fs/promises";
import * as path from "node:path";
import {
  createProjectFolder,
  INSTALLED_PULUMI_VERSION,
  installPackages,
  packPackage,
} from "../tests/e2e/support/installedPackage";
import { REPO_ROOT } from "../tests/e2e/support/pulumiStack";

export { INSTALLED_PULUMI_VERSION };

/** A program folder outside the repository with the package installed from its `npm pack` tarball. */
export interface InstalledSetup {
  dir: string;
  tarballBytes: number;
  /** Wall time of `npm pack` plus `npm install`, in milliseconds. */
  installMs: number;
}

/**
 * Packs the package (after `npm run build`), installs the tarball and @pulumi/pulumi in a new temporary folder with
 * npm, and copies the compiled benchmark program there as index.js with its Pulumi.yaml. npm reads from its cache
 * first and the registry only for what the cache lacks.
 */
export async function createInstalledSetup(): Promise<InstalledSetup> {
  const start = Date.now();
  const dir = await createProjectFolder("atlas-privatelink-bench-", "links-bench-installed");
  const tarball = await packPackage(dir);
  await installPackages(dir, [tarball, `@pulumi/pulumi@${INSTALLED_PULUMI_VERSION}`]);
  const installMs = Date.now() - start;

  const programDir = path.join(REPO_ROOT, "bench", "programs", "links");
  const pulumiYaml = (await fs.readFile(path.join(programDir, "Pulumi.yaml"), "utf8")).replace(
    /^main: index\.ts$/m,
    "main: index.js",
  );
  await fs.writeFile(path.join(dir, "Pulumi.yaml"), pulumiYaml);
  await fs.copyFile(path.join(REPO_ROOT, "dist", "bench", "programs", "links", "index.js"), path.join(dir, "index.js"));
  return { dir, tarballBytes: (await fs.stat(tarball)).size, installMs };
}

/** Removes the folder of an installed setup. */
export async function removeInstalledSetup(setup: InstalledSetup): Promise<void> {
  await fs.rm(setup.dir, { recursive: true, force: true });
}
