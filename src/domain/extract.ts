// Code extraction from a model completion: the program to judge, or the reason there is none
// (recorded as a CE verdict without an executor call).
import type { Language } from "@frontier/contracts";

export type Extraction = { ok: true; language: Language; code: string; from: "fence" | "bare" | "starter" } | { ok: false; reason: string };

export interface ExtractOptions {
  /** The language the benchmark asks for. */
  target: Language;
  /** Problem kind: for `assert` (HumanEval) a completion that only continues the prompt is appended to it. */
  kind?: "stdin" | "functional" | "assert";
  starterCode?: string | null;
  functionName?: string | null;
}

const FENCE = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*\n([\s\S]*?)(?:\n[ \t]*\2[ \t]*(?=\n|$)|$)/g;

const LANGUAGE_TAGS: Record<string, Language> = {
  python: "python",
  py: "python",
  python3: "python",
  py3: "python",
  cpp: "cpp",
  "c++": "cpp",
  cc: "cpp",
  cxx: "cpp",
  hpp: "cpp",
};

/** Tags that name a language we cannot judge: such a block is never taken for code. */
const FOREIGN_TAGS = new Set([
  "java",
  "javascript",
  "js",
  "ts",
  "typescript",
  "go",
  "rust",
  "rs",
  "c",
  "csharp",
  "cs",
  "ruby",
  "rb",
  "kotlin",
  "swift",
  "text",
  "txt",
  "plaintext",
  "output",
  "console",
  "bash",
  "sh",
  "shell",
  "json",
  "yaml",
  "markdown",
  "md",
]);

/** A language guess from the code alone; null when it looks like neither. */
export function guessLanguage(code: string): Language | null {
  const cpp = /#include\s*[<"]|\bint\s+main\s*\(|\bstd::|\busing\s+namespace\s+std\b|\bcout\s*<<|\bcin\s*>>|\bvector\s*</.test(code);
  const python = /^\s*(def|class|import|from)\s+\w|^\s*print\s*\(|^\s*if\s+__name__\s*==|\binput\s*\(\s*\)|^\s*for\s+\w+\s+in\s+.+:\s*$|^\s*return\b.*$/m.test(
    code,
  );
  if (cpp && !/^\s*def\s+\w+\s*\(.*\)\s*(->.*)?:\s*$/m.test(code)) return "cpp";
  if (python) return "python";
  return null;
}

/**
 * The program in a completion:
 * 1. fenced blocks (``` or ~~~, closed or cut off at the end): the last one tagged with or looking
 *    like the target language; failing that, the last one in another language we can judge;
 * 2. otherwise the whole completion when it looks like code (bare code);
 * 3. for `assert` problems with starter code, a completion that continues the prompt (the body of
 *    the function) is judged as starter code + completion.
 */
export function extractCode(completion: string, options: ExtractOptions): Extraction {
  const text = completion.replace(/\r\n?/g, "\n");
  if (text.trim() === "") return { ok: false, reason: "empty completion" };

  const blocks: { tag: string; code: string }[] = [];
  for (const match of text.matchAll(FENCE)) {
    const code = match[4];
    if (code.trim() !== "") blocks.push({ tag: match[3].toLowerCase(), code });
  }
  if (blocks.length > 0) {
    const languageOf = (block: { tag: string; code: string }): Language | null =>
      LANGUAGE_TAGS[block.tag] ?? (block.tag === "" || !FOREIGN_TAGS.has(block.tag) ? guessLanguage(block.code) : null);
    const tagged = blocks.map((block) => ({ ...block, language: languageOf(block) }));
    const target = tagged.filter((b) => b.language === options.target).at(-1);
    const other = tagged.filter((b) => b.language !== null).at(-1);
    const chosen = target ?? other;
    if (!chosen?.language) {
      const tags = [...new Set(blocks.map((b) => b.tag || "untagged"))].join(", ");
      return { ok: false, reason: `no ${options.target} code block (found: ${tags})` };
    }
    return withStarter({ ok: true, language: chosen.language, code: trimCode(chosen.code), from: "fence" }, options);
  }

  const language = guessLanguage(text);
  if (language) return withStarter({ ok: true, language, code: trimCode(text), from: "bare" }, options);
  if (options.kind === "assert" && options.starterCode && /^[ \t]+\S/m.test(text)) {
    return { ok: true, language: options.target, code: trimCode(options.starterCode + text), from: "starter" };
  }
  return { ok: false, reason: "no code found in the completion (no fenced block, and the text does not look like code)" };
}

/** HumanEval-style completions that hold only the function body get the prompt put back in front. */
function withStarter(extraction: Extraction & { ok: true }, options: ExtractOptions): Extraction {
  if (options.kind !== "assert" || !options.starterCode || extraction.language !== "python") return extraction;
  const name = options.functionName;
  const defines = name ? new RegExp(`^\\s*def\\s+${escapeRegExp(name)}\\s*\\(`, "m").test(extraction.code) : /^\s*def\s+\w+/m.test(extraction.code);
  if (defines) return extraction;
  if (/^[ \t]+\S/.test(extraction.code) || /^[ \t]+\S/m.test(extraction.code.split("\n")[0] ?? "")) {
    return { ...extraction, code: trimCode(options.starterCode + extraction.code), from: "starter" };
  }
  return extraction;
}

function trimCode(code: string): string {
  return `${code.replace(/^\n+/, "").replace(/\s+$/, "")}\n`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
