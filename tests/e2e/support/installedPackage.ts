import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./pulumiStack";

const execFileAsync = promisify(execFile);

/** Returns the version of a package installed in the repository's node_modules, such as `3.248.0`. */
export function repositoryPackageVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file resolved from the repository
  return (require(path.join(REPO_ROOT, "node_modules", name, "package.json")) as { version: string }).version;
}

/**
 * Version of @pulumi/pulumi installed beside the package in a project outside the repository: the version the
 * repository's own tests run.
 */
export const INSTALLED_PULUMI_VERSION = repositoryPackageVersion("@pulumi/pulumi");

/** Runs npm with `args` in `cwd`; rejects with npm's output when it exits non-zero. */
async function npm(args: string[], cwd: string): Promise<string> {
  try {
    return (await execFileAsync("npm", args, { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(" ")} failed in ${cwd}\n${stdout ?? ""}\n${stderr ?? ""}`, { cause: err });
  }
}

/**
 * Runs `npm pack` in `packageDir` (the repository by default, which must be built first) and writes the tarball to
 * `destination`. Returns the tarball's absolute path.
 */
export async function packPackage(destination: string, packageDir: string = REPO_ROOT): Promise<string> {
  const stdout = await npm(["pack", "--json", "--pack-destination", destination], packageDir);
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  return path.join(destination, packed.filename);
}

/**
 * Builds a second tarball from the contents of `tarball` with only the version in package.json changed to `version`:
 * unpacks it in a temporary folder, edits package.json and packs again into `destination`. Returns the new tarball's
 * absolute path.
 */
export async function repackWithVersion(tarball: string, version: string, destination: string): Promise<string> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "atlas-privatelink-repack-"));
  try {
    await execFileAsync("tar", ["-xzf", tarball, "-C", workDir]);
    const packageDir = path.join(workDir, "package");
    const manifestPath = path.join(packageDir, "package.json");
    const manifest = JSON.parse(await fs.readFile(manifestPath, "utf8")) as { version: string };
    manifest.version = version;
    await fs.writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    return await packPackage(destination, packageDir);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Creates a temporary folder outside the repository with a private package.json named `name`, ready for
 * {@link installPackages}. Returns its absolute path.
 */
export async function createProjectFolder(prefix: string, name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
  return dir;
}

/**
 * Installs npm package specs (tarball paths or `name@version`) in `projectDir`, as dev dependencies with `dev`. npm
 * reads from its cache first and requests from the registry only what the cache lacks.
 */
export async function installPackages(
  projectDir: string,
  specs: string[],
  options: { dev?: boolean } = {},
): Promise<void> {
  const args = ["install", "--no-audit", "--no-fund", "--prefer-offline"];
  if (options.dev) {
    args.push("--save-dev");
  }
  await npm([...args, ...specs], projectDir);
}
