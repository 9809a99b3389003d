import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPOSITORY_ROOT } from "./support/typeCheck";

const TYPEDOC = path.join(REPOSITORY_ROOT, "node_modules/typedoc/bin/typedoc");
const FIXTURES = "tests/docs/fixtures";

/** Runs TypeDoc with the repository's typedoc.json on fixture entry points, without writing any output. */
function runTypeDoc(entryPoints: string[]): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      TYPEDOC,
      "--options",
      "typedoc.json",
      "--tsconfig",
      `${FIXTURES}/tsconfig.json`,
      ...entryPoints.flatMap((entryPoint) => ["--entryPoints", `${FIXTURES}/${entryPoint}`]),
      "--emit",
      "none",
    ],
    { cwd: REPOSITORY_ROOT, encoding: "utf8" },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("API reference configuration", function () {
  // TypeDoc and the TypeScript compiler start in a new process, once for both fixtures.
  this.timeout(600000);

  it("fails on an export without a doc comment", () => {
    const { status, output } = runTypeDoc(["documented.ts", "undocumented.ts"]);
    assert.notEqual(status, 0, output);
    const undocumented = output.split("\n").filter((line) => line.includes("does not have any documentation"));
    assert.equal(undocumented.length, 1, output);
    assert.match(undocumented[0], /undocumentedLinkId \(\w+\), defined in .*undocumented\.ts/);
  });
});
