import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../tests/e2e/support/pulumiStack";

const execFileAsync = promisify(execFile);

/** Version of @pulumi/pulumi that the installed setup installs beside the package. */
export const INSTALLED_PULUMI_VERSION = "3.248.0";

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
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "atlas-privatelink-bench-"));
  const { stdout } = await execFileAsync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: REPO_ROOT });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const tarball = path.join(dir, packed.filename);
  await fs.writeFile(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: "links-bench-installed", private: true })}\n`,
  );
  await execFileAsync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `@pulumi/pulumi@${INSTALLED_PULUMI_VERSION}`],
    { cwd: dir },
  );
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
