import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PULUMI_TOOLS_DIR, REPO_ROOT } from "../tests/e2e/support/pulumiStack";

const execFileAsync = promisify(execFile);

/** The machine and tool versions a benchmark ran with, as the report prints them. */
export interface MachineInfo {
  /** Output of `nproc`. */
  nproc: string;
  /** Output of `free -h`, every line. */
  free: string;
  cpuModel: string;
  os: string;
  node: string;
  npm: string;
  /** Output of `pulumi version` for the CLI the benchmark runs. */
  pulumiCli: string;
  /** Version of @pulumi/pulumi in the repository's node_modules. */
  pulumiSdk: string;
}

/** Runs a command and returns its stdout without trailing white space, or a note naming the failure when it fails. */
async function commandOutput(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { env: env ?? process.env });
    return stdout.replace(/\s+$/, "");
  } catch (err) {
    return `(${command} failed: ${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Collects {@link MachineInfo} with `nproc`, `free -h`, `npm --version` and `pulumi version`. */
export async function describeMachine(): Promise<MachineInfo> {
  const pulumiPath = path.join(PULUMI_TOOLS_DIR, "pulumi");
  const manifest = JSON.parse(
    await fs.readFile(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
  ) as { version: string };
  return {
    nproc: await commandOutput("nproc", []),
    free: await commandOutput("free", ["-h"]),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    npm: await commandOutput("npm", ["--version"]),
    pulumiCli: await commandOutput(pulumiPath, ["version"], { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }),
    pulumiSdk: manifest.version,
  };
}
