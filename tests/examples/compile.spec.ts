import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { formatDiagnostic, REPOSITORY_ROOT, typeCheck } from "../docs/support/typeCheck";

const EXAMPLES_FOLDER = path.join(REPOSITORY_ROOT, "examples");

/** Modules an example may import: the package by its name, the Pulumi SDKs, Node.js built-ins and its own files. */
const ALLOWED_PACKAGES = new Set(["pulumi-atlas-privatelink", "@pulumi/pulumi", "@pulumi/aws"]);

function isAllowedImport(specifier: string): boolean {
  return ALLOWED_PACKAGES.has(specifier) || specifier.startsWith("node:") || /^\.\/[^/]+$/.test(specifier);
}

/** Lists the module specifiers of a file's import and export declarations. */
function importedModules(fileName: string): string[] {
  const source = ts.createSourceFile(fileName, fs.readFileSync(fileName, "utf8"), ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    const moduleSpecifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (moduleSpecifier !== undefined && ts.isStringLiteral(moduleSpecifier)) {
      specifiers.push(moduleSpecifier.text);
    }
  }
  return specifiers;
}

describe("examples", () => {
  const folders = fs
    .readdirSync(EXAMPLES_FOLDER, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const sources = new Map(
    folders.map((folder) => {
      const folderPath = path.join(EXAMPLES_FOLDER, folder);
      const files = fs.readdirSync(folderPath).filter((name) => name.endsWith(".ts"));
      return [folder, files.map((name) => path.join(folderPath, name))];
    }),
  );
  let diagnostics = new Map<string, ts.Diagnostic[]>();

  before(function () {
    // One program for all examples, compiled as a user's program with the package from the local build.
    this.timeout(600000);
    diagnostics = typeCheck([...sources.values()].flat(), new Map());
  });

  it("include aws-privatelink and existing-vpc-endpoint", () => {
    assert.ok(folders.includes("aws-privatelink"), `examples: ${folders.join(", ")}`);
    assert.ok(folders.includes("existing-vpc-endpoint"), `examples: ${folders.join(", ")}`);
  });

  for (const folder of folders) {
    describe(folder, () => {
      const files = sources.get(folder) ?? [];

      it("has an index.ts and a README.md", () => {
        const names = fs.readdirSync(path.join(EXAMPLES_FOLDER, folder));
        assert.ok(names.includes("index.ts"), `${folder} has no index.ts`);
        assert.ok(names.includes("README.md"), `${folder} has no README.md`);
      });

      it("compiles against the package entry point", () => {
        const messages = files.flatMap((file) =>
          (diagnostics.get(file) ?? []).map((diagnostic) => formatDiagnostic(diagnostic)),
        );
        assert.deepEqual(messages, []);
      });

      it("imports only the package and public modules", () => {
        const imports = files.flatMap((file) => importedModules(file));
        assert.ok(imports.includes("pulumi-atlas-privatelink"), `${folder} does not import the package`);
        assert.deepEqual(
          imports.filter((specifier) => !isAllowedImport(specifier)),
          [],
        );
      });
    });
  }
});
