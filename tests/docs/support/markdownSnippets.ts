/** A TypeScript code block of a Markdown file. */
export interface Snippet {
  /** Path of the Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence in the Markdown file. */
  fenceLine: number;
  /** The block's code, without the fences and without the fence's indentation. */
  code: string;
  /**
   * The reason given in a `<!-- partial snippet: reason -->` comment on the last non-blank line before the fence, an
   * empty string when the comment gives none, and undefined when the block is not marked.
   */
  partialReason?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const PARTIAL_MARK = /^\s*<!--\s*partial snippet:?(.*?)-->\s*$/;
const TYPESCRIPT_LANGUAGES = new Set(["ts", "typescript"]);

/**
 * Extracts every ```ts and ```typescript block of a Markdown text, in order. Blocks of other languages are skipped,
 * and an unclosed block runs to the end of the text, as CommonMark renders it.
 */
export function extractTypeScriptSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  let index = 0;
  while (index < lines.length) {
    const open = FENCE.exec(lines[index]);
    if (!open) {
      index += 1;
      continue;
    }
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !isClosingFence(lines[end], fence)) {
      body.push(stripIndent(lines[end], indent.length));
      end += 1;
    }
    if (TYPESCRIPT_LANGUAGES.has(language.toLowerCase())) {
      snippets.push({
        file,
        fenceLine: index + 1,
        code: body.join("\n"),
        partialReason: partialReasonBefore(lines, index),
      });
    }
    index = end + 1;
  }
  return snippets;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0];
}

/** Removes up to `width` leading spaces, the indentation of a fence inside a list item. */
function stripIndent(line: string, width: number): string {
  let cut = 0;
  while (cut < width && line[cut] === " ") {
    cut += 1;
  }
  return line.slice(cut);
}

function partialReasonBefore(lines: string[], fenceIndex: number): string | undefined {
  let index = fenceIndex - 1;
  while (index >= 0 && lines[index].trim() === "") {
    index -= 1;
  }
  const mark = index >= 0 ? PARTIAL_MARK.exec(lines[index]) : null;
  return mark ? mark[1].trim() : undefined;
}
