// The prompt sent to the sampler for one problem, built from what a benchmark stores (statement,
// starter code, kind, entry point) — never from tests.
import type { Language } from "@frontier/contracts";

export interface PromptMaterial {
  kind: "stdin" | "functional" | "assert";
  title: string;
  statement: string;
  starterCode?: string | null;
  functionName?: string | null;
}

const LANGUAGE_NAMES: Record<Language, string> = { python: "Python 3", cpp: "C++17" };

export function buildPrompt(problem: PromptMaterial, language: Language): string {
  // HumanEval-style problems: the model continues the prompt (the starter code) itself.
  if (problem.kind === "assert" && problem.starterCode) return problem.starterCode;
  const fence = language === "cpp" ? "cpp" : "python";
  const parts = [problem.title ? `### ${problem.title}\n\n${problem.statement}` : problem.statement];
  if (problem.kind === "stdin") {
    parts.push(`Write a ${LANGUAGE_NAMES[language]} program that reads the input from standard input and writes the answer to standard output.`);
  } else if (problem.kind === "functional") {
    const name = problem.functionName ? ` \`${problem.functionName}\`` : "";
    parts.push(`Implement the function${name} in ${LANGUAGE_NAMES[language]}.`);
  } else {
    parts.push(`Write the solution in ${LANGUAGE_NAMES[language]}.`);
  }
  if (problem.starterCode) parts.push(`Start from:\n\`\`\`${fence}\n${problem.starterCode.replace(/\s+$/, "")}\n\`\`\``);
  parts.push(`Answer with the complete program in one \`\`\`${fence} code block.`);
  return `${parts.join("\n\n")}\n`;
}
