import assert from "node:assert/strict";
import { extractTypeScriptSnippets } from "./support/markdownSnippets";

describe("extractTypeScriptSnippets", () => {
  it("extracts ts and typescript blocks only", () => {
    const markdown = [
      "# Title",
      "```sh",
      "npm test",
      "```",
      "```ts",
      "const a = 1;",
      "```",
      "```TypeScript",
      "const b = 2;",
      "```",
      "```js",
      "const c = 3;",
      "```",
    ].join("\n");
    const snippets = extractTypeScriptSnippets("README.md", markdown);
    assert.deepEqual(
      snippets.map((snippet) => [snippet.fenceLine, snippet.code]),
      [
        [5, "const a = 1;"],
        [8, "const b = 2;"],
      ],
    );
  });

  it("removes the indentation of a fence in a list", () => {
    const markdown = ["- step", "  ```ts", "  if (ok) {", "    run();", "  }", "  ```"].join("\n");
    const [snippet] = extractTypeScriptSnippets("docs/guide.md", markdown);
    assert.equal(snippet.code, "if (ok) {\n  run();\n}");
  });

  it("keeps a shorter fence inside a longer one", () => {
    const markdown = ["````ts", "const text = `", "```", "`;", "````"].join("\n");
    const [snippet] = extractTypeScriptSnippets("docs/guide.md", markdown);
    assert.equal(snippet.code, "const text = `\n```\n`;");
  });

  it("reads the partial mark before a fence", () => {
    const markdown = ["<!-- partial snippet: continues the block above -->", "", "```ts", "link.id;", "```"].join("\n");
    const [snippet] = extractTypeScriptSnippets("docs/guide.md", markdown);
    assert.equal(snippet.partialReason, "continues the block above");
  });

  it("reads a partial mark without a reason as empty", () => {
    const markdown = ["<!-- partial snippet -->", "```ts", "link.id;", "```"].join("\n");
    const [snippet] = extractTypeScriptSnippets("docs/guide.md", markdown);
    assert.equal(snippet.partialReason, "");
  });

  it("leaves an unmarked block complete", () => {
    const markdown = ["<!-- another comment -->", "```ts", "const a = 1;", "```"].join("\n");
    const [snippet] = extractTypeScriptSnippets("docs/guide.md", markdown);
    assert.equal(snippet.partialReason, undefined);
  });
});
