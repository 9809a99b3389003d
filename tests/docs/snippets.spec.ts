import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type ts from "typescript";
import type { Snippet } from "./support/markdownSnippets";
import { extractTypeScriptSnippets } from "./support/markdownSnippets";
import { formatDiagnostic, REPOSITORY_ROOT, syntaxErrors, typeCheck } from "./support/typeCheck";

/** README.md and every Markdown file under docs/, at any depth, relative to the repository root. */
function documentationFiles(): string[] {
  const docsFolder = path.join(REPOSITORY_ROOT, "docs");
  const underDocs = fs
    .readdirSync(docsFolder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join("docs", name))
    .sort();
  return ["README.md", ...underDocs];
}

/** The in-memory path of a snippet's source file: beside the repository's node_modules, so packages resolve. */
function snippetPath(snippet: Snippet): string {
  const name = `${snippet.file.replace(/[^A-Za-z0-9]+/g, "_")}_line${snippet.fenceLine}.ts`;
  return path.join(REPOSITORY_ROOT, "__doc_snippets__", name);
}

function formatAll(diagnostics: ts.Diagnostic[], snippet: Snippet): string[] {
  // The code starts on the line after the fence, so snippet line 1 is Markdown line fenceLine + 1.
  return diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, snippet.file, snippet.fenceLine));
}

describe("documentation snippets", () => {
  const snippets = documentationFiles().flatMap((file) =>
    extractTypeScriptSnippets(file, fs.readFileSync(path.join(REPOSITORY_ROOT, file), "utf8")),
  );
  const complete = snippets.filter((snippet) => snippet.partialReason === undefined);
  let diagnostics = new Map<string, ts.Diagnostic[]>();

  before(function () {
    // One program for all snippets: loading @pulumi/pulumi and @pulumi/aws types takes most of the time.
    this.timeout(600000);
    diagnostics = typeCheck([], new Map(complete.map((snippet) => [snippetPath(snippet), snippet.code])));
  });

  it("README.md has TypeScript snippets", () => {
    assert.ok(
      complete.some((snippet) => snippet.file === "README.md"),
      "no complete ```ts block found in README.md",
    );
  });

  it("program has no global diagnostics", () => {
    assert.deepEqual(
      (diagnostics.get("") ?? []).map((diagnostic) => formatDiagnostic(diagnostic)),
      [],
    );
  });

  for (const snippet of snippets) {
    if (snippet.partialReason === undefined) {
      it(`${snippet.file} line ${snippet.fenceLine} compiles`, () => {
        assert.deepEqual(formatAll(diagnostics.get(snippetPath(snippet)) ?? [], snippet), []);
      });
    } else {
      it(`${snippet.file} line ${snippet.fenceLine} is partial with a reason and parses`, () => {
        assert.notEqual(snippet.partialReason, "", "a partial snippet mark must say why the block is partial");
        assert.deepEqual(formatAll(syntaxErrors(snippetPath(snippet), snippet.code), snippet), []);
      });
    }
  }
});
