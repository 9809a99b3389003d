import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";

/** Root of the repository, found from the compiled location dist/tests/e2e/support. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..");

/** Folder where scripts/install-pulumi.sh puts the Pulumi CLI, its language host and the dynamic provider plugin. */
export const PULUMI_TOOLS_DIR = path.join(REPO_ROOT, ".tools", "bin");

/** Exit code and captured output of one Pulumi CLI command. */
export interface CommandResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link PulumiStack.create}. */
export interface PulumiStackOptions {
  /** Folder with the program's Pulumi.yaml. */
  programDir: string;
  /** Plain stack configuration, as `namespace:key` to value. */
  config?: Record<string, string>;
  /** Stack configuration stored encrypted with `--secret`. */
  secretConfig?: Record<string, string>;
  /** Extra environment variables for every CLI command, such as MONGODB_ATLAS_* credentials. */
  env?: Record<string, string>;
}

/**
 * Runs the real Pulumi CLI against one stack of a program, with a file state backend, Pulumi home and
 * stack config file in a fresh temporary folder, so tests never touch a user's Pulumi setup or the
 * repository. Every command's output is kept in {@link transcript} for audits.
 */
export class PulumiStack {
  readonly stackName: string;
  readonly transcript: CommandResult[] = [];

  private constructor(
    private readonly programDir: string,
    private readonly workDir: string,
    private readonly extraEnv: Record<string, string>,
  ) {
    this.stackName = `test-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  }

  /** Creates a stack in a temporary backend and sets its configuration. */
  static async create(options: PulumiStackOptions): Promise<PulumiStack> {
    const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "atlas-privatelink-e2e-"));
    await fs.mkdir(path.join(workDir, "state"));
    await fs.mkdir(path.join(workDir, "home"));
    const stack = new PulumiStack(options.programDir, workDir, options.env ?? {});
    await stack.run(["stack", "init", stack.stackName]);
    for (const [key, value] of Object.entries(options.config ?? {})) {
      await stack.setConfig(key, value);
    }
    for (const [key, value] of Object.entries(options.secretConfig ?? {})) {
      await stack.setConfig(key, value, { secret: true });
    }
    return stack;
  }

  /** Path of the stack config file that every command of this stack passes with `--config-file`. */
  get configFile(): string {
    return path.join(this.workDir, `Pulumi.${this.stackName}.yaml`);
  }

  /** Sets one stack configuration value; `secret` stores it encrypted. */
  async setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    const args = ["config", "set", "--config-file", this.configFile, key];
    if (options.secret) {
      args.push("--secret");
    }
    await this.run([...args, "--", value]);
  }

  /** Runs `pulumi up` without a preview; rejects on a non-zero exit unless `allowFailure` is set. */
  up(options: { expectNoChanges?: boolean; allowFailure?: boolean } = {}): Promise<CommandResult> {
    const args = ["up", "--yes", "--skip-preview", "--config-file", this.configFile];
    if (options.expectNoChanges) {
      args.push("--expect-no-changes");
    }
    return this.run(args, options);
  }

  /** Runs `pulumi preview`; rejects on a non-zero exit unless `allowFailure` is set. */
  preview(options: { expectNoChanges?: boolean; allowFailure?: boolean } = {}): Promise<CommandResult> {
    const args = ["preview", "--config-file", this.configFile];
    if (options.expectNoChanges) {
      args.push("--expect-no-changes");
    }
    return this.run(args, options);
  }

  /** Runs `pulumi refresh`; rejects on a non-zero exit, or on changes with `expectNoChanges`, unless `allowFailure`. */
  refresh(options: { expectNoChanges?: boolean; allowFailure?: boolean } = {}): Promise<CommandResult> {
    const args = ["refresh", "--yes", "--skip-preview", "--config-file", this.configFile];
    if (options.expectNoChanges) {
      args.push("--expect-no-changes");
    }
    return this.run(args, options);
  }

  /** Runs `pulumi destroy`. */
  destroy(options: { allowFailure?: boolean } = {}): Promise<CommandResult> {
    return this.run(["destroy", "--yes", "--skip-preview", "--config-file", this.configFile], options);
  }

  /** Returns the stack outputs; secret outputs are shown in plaintext only with `showSecrets`. */
  async outputs(options: { showSecrets?: boolean } = {}): Promise<Record<string, unknown>> {
    const args = ["stack", "output", "--json"];
    if (options.showSecrets) {
      args.push("--show-secrets");
    }
    const result = await this.run(args);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** Returns the raw text of `pulumi stack export`, with secrets decrypted when `showSecrets` is set. */
  async exportState(options: { showSecrets?: boolean } = {}): Promise<string> {
    const args = ["stack", "export"];
    if (options.showSecrets) {
      args.push("--show-secrets");
    }
    return (await this.run(args)).stdout;
  }

  /** Returns the resources of the exported state. */
  async resources(): Promise<StateResource[]> {
    const deployment = JSON.parse(await this.exportState()) as {
      deployment: { resources?: StateResource[] };
    };
    return deployment.deployment.resources ?? [];
  }

  /** Returns everything the CLI printed for this stack so far, except commands run with `--show-secrets`. */
  allOutput(): string {
    return this.transcript
      .filter((result) => !result.args.includes("--show-secrets"))
      .map((result) => result.stdout + result.stderr)
      .join("\n");
  }

  /** Removes the stack (whatever it still holds) and the temporary folder. */
  async dispose(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force", this.stackName], { allowFailure: true });
    await fs.rm(this.workDir, { recursive: true, force: true });
  }

  /** Runs one CLI command in the program folder; rejects with the captured output on a non-zero exit. */
  run(args: string[], options: { allowFailure?: boolean } = {}): Promise<CommandResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith("MONGODB_ATLAS_") && !key.startsWith("PULUMI_")) {
        env[key] = value;
      }
    }
    Object.assign(env, {
      PATH: `${PULUMI_TOOLS_DIR}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.workDir, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.workDir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "e2e-test-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...this.extraEnv,
    });
    const commandArgs = [...args];
    const flagsEnd = commandArgs.includes("--") ? commandArgs.indexOf("--") : commandArgs.length;
    const flags = ["--non-interactive"];
    if (!(args[0] === "stack" && ["init", "rm"].includes(args[1]))) {
      flags.push("--stack", this.stackName);
    }
    commandArgs.splice(flagsEnd, 0, ...flags);
    const child = spawn("pulumi", commandArgs, { cwd: this.programDir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        const result: CommandResult = { args, code: code ?? -1, stdout, stderr };
        this.transcript.push(result);
        if (result.code !== 0 && !options.allowFailure) {
          reject(new Error(`pulumi ${args.join(" ")} exited with ${result.code}\n${stdout}\n${stderr}`));
        } else {
          resolve(result);
        }
      });
    });
  }
}

/** One resource of an exported Pulumi state. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

/**
 * Tears down what an end-to-end suite started, either of which may be unset when its set-up failed: destroys the
 * stack (a failed destroy does not throw), removes its temporary folders, and closes the emulator.
 */
export async function destroyStackAndCloseEmulator(
  stack: PulumiStack | undefined,
  emulator: { close(): Promise<void> } | undefined,
): Promise<void> {
  if (stack) {
    await stack.destroy({ allowFailure: true });
    await stack.dispose();
  }
  if (emulator) {
    await emulator.close();
  }
}
