// `frontier judge --problem PROBLEM.json --code FILE [--lang python|cpp] [--all-tests]`
// Judges one program offline (in the same sandbox the executor uses) and prints the verdict as JSON.
// Exit code 0 whatever the verdict; 2 for usage errors, 1 for system errors (unreadable files, SE).
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { LANGUAGES, ProblemSchema, type Language } from "@frontier/contracts";

const HELP = `Usage: frontier judge --problem PROBLEM.json --code FILE [--lang python|cpp] [--all-tests]

Judges FILE against the problem's nested test tiers in the sandbox and prints the result as JSON
(verdict, tiers_passed, failure, time_ms, memory_kb). Exits 0 whatever the verdict.

Options:
  --problem PATH   problem JSON (kinds stdin, functional, assert)
  --code PATH      the program
  --lang LANG      python or cpp (default: from the extension: .py → python; .cc/.cpp/.cxx → cpp)
  --all-tests      run every test instead of stopping at the first failure
  -h, --help       this help`;

const EXTENSIONS: Record<string, Language> = { ".py": "python", ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".c++": "cpp" };

export async function run(argv: string[]): Promise<number> {
  let values: { problem?: string; code?: string; lang?: string; "all-tests"?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        problem: { type: "string" },
        code: { type: "string" },
        lang: { type: "string" },
        "all-tests": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`frontier judge: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.problem || !values.code) {
    console.error(`frontier judge: --problem and --code are required\n\n${HELP}`);
    return 2;
  }
  const language = (values.lang ?? EXTENSIONS[extname(values.code).toLowerCase()]) as Language | undefined;
  if (!language || !(LANGUAGES as readonly string[]).includes(language)) {
    console.error(`frontier judge: cannot tell the language of ${values.code}; pass --lang python|cpp`);
    return 2;
  }

  let problemText: string;
  let code: string;
  try {
    problemText = readFileSync(values.problem, "utf8");
    code = readFileSync(values.code, "utf8");
  } catch (error) {
    console.error(`frontier judge: ${(error as Error).message}`);
    return 1;
  }
  let problemJson: unknown;
  try {
    problemJson = JSON.parse(problemText);
  } catch (error) {
    console.error(`frontier judge: ${values.problem} is not JSON: ${(error as Error).message}`);
    return 2;
  }
  const parsed = ProblemSchema.safeParse(problemJson);
  if (!parsed.success) {
    console.error(
      `frontier judge: ${values.problem} is not a valid problem:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
    return 2;
  }

  const { Judge } = await import("@frontier/executor");
  const judge = new Judge({ concurrency: 1 });
  const result = await judge.judgeOne(parsed.data, { language, code }, { allTests: values["all-tests"] ?? false });
  console.log(JSON.stringify(result, null, 2));
  // SE is the judge failing (e.g. no bubblewrap), not a verdict on the program.
  if (result.verdict === "SE") {
    console.error(`frontier judge: system error: ${result.failure?.message ?? "unknown"}`);
    return 1;
  }
  return 0;
}
