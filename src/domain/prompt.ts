// The chat messages sent to the sampler for one problem (system + user), built from what a benchmark
// stores (statement, starter code, kind, entry point) — never from tests — by the benchmark's prompt
// template. The default is LiveCodeBench-style: it states the language and the input format and asks
// for the whole program in one fenced code block.
import type { ChatMessage, Language } from "@frontier/contracts";

export interface PromptMaterial {
  kind: "stdin" | "functional" | "assert";
  title: string;
  statement: string;
  starterCode?: string | null;
  functionName?: string | null;
}

export type PromptTemplate = (problem: PromptMaterial, language: Language) => ChatMessage[];

const LANGUAGE_NAMES: Record<Language, string> = { python: "Python 3", cpp: "C++17" };
const fenceOf = (language: Language) => (language === "cpp" ? "cpp" : "python");

/** LiveCodeBench-style: a question, the input/output format, one fenced block as the answer. */
export const livecodebenchTemplate: PromptTemplate = (problem, language) => {
  const name = LANGUAGE_NAMES[language];
  const fence = fenceOf(language);
  const system = `You are an expert ${name} programmer. You will be given a competitive programming question and will write a correct and efficient ${name} program that matches the specification and passes all tests.`;
  const parts = [`### Question:\n${problem.title ? `${problem.title}\n\n` : ""}${problem.statement.trim()}`];
  if (problem.kind === "stdin") {
    parts.push(
      `### Format: Read the input from standard input, solve the problem and write the answer to standard output (do not hard-code the sample inputs). Enclose your code within delimiters as follows.\n\`\`\`${fence}\n# YOUR CODE HERE\n\`\`\``,
    );
  } else {
    const fn = problem.functionName ? ` \`${problem.functionName}\`` : "";
    const starter = problem.starterCode?.replace(/\s+$/, "");
    parts.push(
      starter
        ? `### Format: Implement the function${fn}, starting from the code below, and enclose your code within delimiters.\n\`\`\`${fence}\n${starter}\n\`\`\``
        : `### Format: Implement the function${fn} and enclose your code within delimiters.\n\`\`\`${fence}\n# YOUR CODE HERE\n\`\`\``,
    );
  }
  parts.push("### Answer: (the complete program in one fenced code block, using the format above)");
  return [
    { role: "system", content: system },
    { role: "user", content: `${parts.join("\n\n")}\n` },
  ];
};

/** HumanEval-style: complete the given function signature and docstring. */
export const humanevalTemplate: PromptTemplate = (problem, language) => {
  const name = LANGUAGE_NAMES[language];
  const fence = fenceOf(language);
  const code = (problem.starterCode ?? problem.statement).replace(/\s+$/, "");
  return [
    {
      role: "system",
      content: `You are an expert ${name} programmer. Complete the function you are given; answer with the complete function in one fenced code block.`,
    },
    { role: "user", content: `Complete this function:\n\`\`\`${fence}\n${code}\n\`\`\`\n` },
  ];
};

export const PROMPT_TEMPLATES: Record<string, PromptTemplate> = { livecodebench: livecodebenchTemplate, humaneval: humanevalTemplate };

/** The template of a benchmark: HumanEval-style for benchmarks named humaneval*, LiveCodeBench-style otherwise. */
export function promptTemplateFor(benchmark: string): PromptTemplate {
  return /^humaneval/i.test(benchmark) ? humanevalTemplate : livecodebenchTemplate;
}

export function buildMessages(problem: PromptMaterial, language: Language, benchmark = ""): ChatMessage[] {
  // Assert problems carry their own function to complete, whatever the benchmark's name.
  const template = problem.kind === "assert" && problem.starterCode ? humanevalTemplate : promptTemplateFor(benchmark);
  return template(problem, language);
}
