import path from "node:path";
import ts from "typescript";

/** The repository root, from this file's compiled location in dist/tests/docs/support. */
export const REPOSITORY_ROOT = path.resolve(__dirname, "../../../..");

/** The built package entry point that "pulumi-atlas-privatelink" resolves to in the type checks. */
export const PACKAGE_TYPES = path.join(REPOSITORY_ROOT, "dist/sdk/index.d.ts");

/**
 * Compiler options of a strict TypeScript program that uses the package: CommonJS through Node16 resolution, as a
 * Pulumi program compiled by ts-node is, with "pulumi-atlas-privatelink" mapped to the local build and every other
 * package taken from the repository's node_modules.
 */
export function userCompilerOptions(): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [path.join(REPOSITORY_ROOT, "node_modules/@types")],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    paths: { "pulumi-atlas-privatelink": [PACKAGE_TYPES] },
  };
}

/**
 * Type-checks files on disk and in-memory files (absolute path to source text) as one program with
 * {@link userCompilerOptions}. Returns the diagnostics of each checked file by absolute path, and those that belong to
 * no file under the key "".
 */
export function typeCheck(filesOnDisk: string[], filesInMemory: Map<string, string>): Map<string, ts.Diagnostic[]> {
  const options = userCompilerOptions();
  const diskHost = ts.createCompilerHost(options, true);
  const host: ts.CompilerHost = {
    ...diskHost,
    fileExists: (fileName) => filesInMemory.has(fileName) || diskHost.fileExists(fileName),
    readFile: (fileName) => filesInMemory.get(fileName) ?? diskHost.readFile(fileName),
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) => {
      const text = filesInMemory.get(fileName);
      if (text !== undefined) {
        return ts.createSourceFile(fileName, text, languageVersion, true);
      }
      return diskHost.getSourceFile(fileName, languageVersion, onError, shouldCreate);
    },
  };

  const rootNames = [...filesOnDisk, ...filesInMemory.keys()];
  const program = ts.createProgram({ rootNames, options, host });
  const byFile = new Map<string, ts.Diagnostic[]>(rootNames.map((name) => [name, []]));
  byFile.set("", []);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const key = diagnostic.file?.fileName ?? "";
    const list = byFile.get(key) ?? [];
    list.push(diagnostic);
    byFile.set(key, list);
  }
  return byFile;
}

/** Returns the syntax errors of one TypeScript source text, without resolving imports or checking types. */
export function syntaxErrors(fileName: string, text: string): ts.Diagnostic[] {
  const output = ts.transpileModule(text, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: userCompilerOptions(),
  });
  return output.diagnostics ?? [];
}

/**
 * Formats a diagnostic as `file:line:column: TS1234 message`, adding `lineOffset` to the line so that a position in
 * a snippet reads as a position in its Markdown file.
 */
export function formatDiagnostic(diagnostic: ts.Diagnostic, displayName?: string, lineOffset = 0): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) {
    return `TS${diagnostic.code} ${message}`;
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const name = displayName ?? path.relative(REPOSITORY_ROOT, diagnostic.file.fileName);
  return `${name}:${line + 1 + lineOffset}:${character + 1}: TS${diagnostic.code} ${message}`;
}
