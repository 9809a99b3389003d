import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../e2e/support/pulumiStack";

const execFileAsync = promisify(execFile);

/** The folders whose compiled output the package ships. */
const SHIPPED_SOURCE_FOLDERS = ["sdk", "provider"];

/** Files npm adds to every tarball, or that `files` lists by name. */
const TOP_LEVEL_FILES = ["LICENSE", "README.md", "package.json"];

interface PackageJson {
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Lists the TypeScript sources under `folder`, relative to the repository root. */
async function listSources(folder: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(REPO_ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
}

/** Strips a leading `./` from a package.json path. */
function packagePath(target: string): string {
  return target.replace(/^\.\//, "");
}

describe("npm pack tarball", function () {
  this.timeout(120_000);

  let files: string[];
  let manifest: PackageJson;

  before(async function () {
    const { stdout } = await execFileAsync("npm", ["pack", "--dry-run", "--json"], { cwd: REPO_ROOT });
    const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
    files = packed.files.map((file) => file.path).sort();
    manifest = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;
  });

  it("contains only compiled code and top-level files", function () {
    const unexpected = files.filter(
      (file) => !TOP_LEVEL_FILES.includes(file) && !/^dist\/(sdk|provider)\/.+\.(js|d\.ts)$/.test(file),
    );
    assert.deepEqual(unexpected, []);
  });

  it("contains no tests, emulator or benchmarks", function () {
    const leaked = files.filter((file) => /(^|\/)(tests|emulator|bench|examples|scripts)\//.test(file));
    assert.deepEqual(leaked, []);
  });

  it("contains a .js and .d.ts per source", async function () {
    const sources = (await Promise.all(SHIPPED_SOURCE_FOLDERS.map(listSources))).flat();
    const expected = sources
      .flatMap((source) => {
        const base = path.posix.join("dist", source.replace(/\.ts$/, ""));
        return [`${base}.js`, `${base}.d.ts`];
      })
      .concat(TOP_LEVEL_FILES)
      .sort();
    // Equality also catches compiled files left in dist/ by a source that no longer exists.
    assert.deepEqual(files, expected);
  });

  it("contains main, types and every export target", function () {
    assert.equal(manifest.main, "dist/sdk/index.js");
    assert.equal(manifest.types, "dist/sdk/index.d.ts");
    assert.ok(files.includes(manifest.main), manifest.main);
    assert.ok(files.includes(manifest.types), manifest.types);
    const root = manifest.exports["."] as Record<string, string>;
    assert.equal(packagePath(root.types), manifest.types);
    assert.equal(packagePath(root.default), manifest.main);
    assert.equal(manifest.exports["./package.json"], "./package.json");
  });

  it("exports the provider modules that serialized providers require", function () {
    assert.equal(manifest.exports["./dist/provider/*"], "./dist/provider/*");
    for (const module of ["lazyInterfaceLinkProvider", "lazyPrivateEndpointProvider"]) {
      assert.ok(files.includes(`dist/provider/${module}.js`), module);
    }
  });

  it("peers on the tested @pulumi/pulumi and later 3.x", function () {
    const tested = manifest.devDependencies["@pulumi/pulumi"];
    assert.match(tested, /^\d+\.\d+\.\d+$/, "the tests pin one @pulumi/pulumi version");
    assert.equal(manifest.peerDependencies["@pulumi/pulumi"], `^${tested}`);
  });

  it("accepts the Node.js version under test", function () {
    const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(manifest.engines.node);
    assert.ok(minimum, manifest.engines.node);
    const [major, minor] = process.versions.node.split(".").map(Number);
    const [minMajor, minMinor] = [Number(minimum[1]), Number(minimum[2])];
    const accepted = major > minMajor || (major === minMajor && minor >= minMinor);
    assert.ok(accepted, `Node.js ${process.versions.node} is below engines.node ${manifest.engines.node}`);
  });
});
