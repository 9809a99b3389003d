import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "../e2e/support/pulumiStack";

/** Folders whose TypeScript files must document every top-level export. Example programs export only stack outputs. */
const DOCUMENTED_FOLDERS = ["provider", "sdk", "emulator", "bench", "tests/e2e/support", "tests/support"];

function typeScriptFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "node_modules" ? [] : typeScriptFiles(entryPath);
    }
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [entryPath] : [];
  });
}

/** Returns `file:line name` for each exported top-level declaration of `file` without a doc comment. */
function undocumentedExports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    const exported = modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    if (!exported || ts.getJSDocCommentsAndTags(statement).length > 0) {
      continue;
    }
    const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
    const name = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((declaration) => declaration.name.getText()).join(", ")
      : ((statement as ts.DeclarationStatement).name?.getText() ?? "default");
    found.push(`${path.relative(REPO_ROOT, file)}:${line} ${name}`);
  }
  return found;
}

describe("doc comments", () => {
  for (const folder of DOCUMENTED_FOLDERS) {
    it(`document every export in ${folder}/`, () => {
      const files = typeScriptFiles(path.join(REPO_ROOT, folder));
      assert.ok(files.length > 0, `no TypeScript files under ${folder}/`);
      assert.deepEqual(files.flatMap(undocumentedExports), []);
    });
  }

  it("flag an export without a doc comment", () => {
    const folder = fs.mkdtempSync(path.join(REPO_ROOT, "dist", "doc-check-"));
    try {
      const file = path.join(folder, "sample.ts");
      fs.writeFileSync(file, "/** Documented. */\nexport const a = 1;\nexport function b(): void {}\n");
      assert.deepEqual(
        undocumentedExports(file).map((entry) => entry.replace(/^.*sample\.ts/, "sample.ts")),
        ["sample.ts:3 b"],
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
