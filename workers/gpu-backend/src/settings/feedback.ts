// What the tool and agentic loops say to a model: the `run_code` tool, its results, the program in an
// answer, and the feedback message built from the public tests (never anything else).
import type { ExamplesResponse, Language, RunResponse } from "@frontier/contracts";

/** The one tool, in the OpenAI tools format. */
export const RUN_CODE_TOOL = {
  type: "function",
  function: {
    name: "run_code",
    description: "Run a program in a sandbox on the given stdin and see its output (stdout, stderr, exit code, verdict, time).",
    parameters: {
      type: "object",
      properties: {
        language: { type: "string", enum: ["python", "cpp"] },
        code: { type: "string", description: "the whole program" },
        stdin: { type: "string", description: "what the program reads on standard input" },
      },
      required: ["language", "code"],
    },
  },
} as const;

/** The tool message's content: the result as JSON. */
export function toolResult(result: RunResponse): string {
  const { stdout, stderr, exit_code, verdict, time_ms } = result;
  return JSON.stringify({ stdout, stderr, exit_code, verdict, time_ms });
}

/** The last fenced code block of an answer, with its language (python unless the fence says C++). */
export function extractProgram(text: string): { language: Language; code: string } | null {
  const blocks = [...text.matchAll(/```([\w+#-]*)[^\n]*\n([\s\S]*?)```/g)];
  const last = blocks[blocks.length - 1];
  if (!last) return null;
  const tag = last[1].toLowerCase();
  return { language: tag === "cpp" || tag === "c++" || tag === "cc" ? "cpp" : "python", code: last[2] };
}

/** The user message after an answer that failed a public test: which test, expected vs actual, or the error. */
export function feedbackMessage(result: ExamplesResponse | null): string {
  if (!result) return "Your answer has no code block. Answer with the whole program in one fenced code block.";
  const failed = result.tests.find((t) => t.verdict !== "AC");
  if (!failed) return "Your program passes the public tests.";
  const lines = [`Your program fails public test ${failed.index + 1} of ${result.tests.length} (${failed.verdict}).`, "Input:", fence(failed.input)];
  if (failed.verdict === "WA") lines.push("Expected output:", fence(failed.expected), "Your output:", fence(failed.actual));
  else {
    if (failed.actual) lines.push("Your output:", fence(failed.actual));
    if (failed.message) lines.push(`Error: ${failed.message}`);
  }
  lines.push("Fix the program and answer with the whole corrected program in one fenced code block.");
  return lines.join("\n");
}

const fence = (text: string) => `\`\`\`\n${text.replace(/\n$/, "")}\n\`\`\``;

/** Cuts a trajectory step's content so a stored trajectory stays compact. */
export function compact(text: string, limit = 4096): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…[${text.length - limit} more characters]`;
}
