// CodeContests (SandboxFusion rows of DeepMind's dataset) → pack: stdin problems, one tier.
// Row: `id`, `content` (statement), `labels` (JSON: difficulty, name, source),
// `test` (JSON: [{input: {stdin}, output: {stdout}}]). Native CodeContests rows with
// public/private/generated_tests ({input: [...], output: [...]}) become nested tiers.
import type { Problem, TestCase, Tier } from "@frontier/contracts";
import { ImportError, jsonField, parseJsonl, type ImportedPack } from "./common.ts";
import type { ImportOptions } from "./livecodebench.ts";

const DEFAULT_LIMITS = { time_ms: 2000, memory_mb: 1024 };

function sandboxTests(value: unknown, where: string): TestCase[] {
  const parsed = jsonField(value, `${where}: test`);
  if (!Array.isArray(parsed)) throw new ImportError(`${where}: test is not a list`);
  return parsed.map((t, i) => {
    const input = (t as { input?: { stdin?: unknown } })?.input?.stdin;
    const output = (t as { output?: { stdout?: unknown } })?.output?.stdout;
    if (typeof input !== "string" || typeof output !== "string") throw new ImportError(`${where}: test ${i} needs input.stdin and output.stdout strings`);
    return { input, output };
  });
}

function nativeTests(value: unknown): TestCase[] {
  const group = value as { input?: unknown; output?: unknown } | undefined;
  if (!group || !Array.isArray(group.input) || !Array.isArray(group.output)) return [];
  return group.input.map((input, i) => ({ input: String(input), output: String((group.output as unknown[])[i] ?? "") }));
}

function limitsOf(row: Record<string, unknown>, options: ImportOptions): Problem["limits"] {
  const limit = row.time_limit as { seconds?: number; nanos?: number } | null | undefined;
  const fromRow = limit && (limit.seconds || limit.nanos) ? Math.round((limit.seconds ?? 0) * 1000 + (limit.nanos ?? 0) / 1e6) : undefined;
  const memoryFromRow = typeof row.memory_limit_bytes === "number" && row.memory_limit_bytes > 0 ? Math.ceil(row.memory_limit_bytes / 2 ** 20) : undefined;
  return {
    time_ms: options.time_ms ?? fromRow ?? DEFAULT_LIMITS.time_ms,
    memory_mb: options.memory_mb ?? memoryFromRow ?? DEFAULT_LIMITS.memory_mb,
  };
}

export async function importCodeContests(text: string, options: ImportOptions = {}): Promise<ImportedPack> {
  const problems: Problem[] = [];
  for (const { line, row } of parseJsonl(text, "codecontests")) {
    const where = `codecontests line ${line}`;
    const labels = jsonField(row.labels ?? "{}", `${where}: labels`) as Record<string, unknown>;
    let tiers: Tier[];
    // The dataset's public tests (the statement's examples) are also the problem's `examples`: the only
    // tests a model may see in the tool and agentic settings. They stay the first tier as well.
    let examples: Tier["tests"] = [];
    if ("test" in row) {
      tiers = [{ name: "full", tests: sandboxTests(row.test, where) }];
    } else if ("public_tests" in row) {
      tiers = (
        [
          { name: "public", tests: nativeTests(row.public_tests) },
          { name: "private", tests: nativeTests(row.private_tests) },
          { name: "generated", tests: nativeTests(row.generated_tests) },
        ] as Tier[]
      ).filter((t) => t.tests.length > 0);
      examples = nativeTests(row.public_tests);
    } else {
      throw new ImportError(`${where}: no 'test' field (SandboxFusion) or 'public_tests' (CodeContests)`);
    }
    if (!tiers.length || tiers.every((t) => !t.tests.length)) throw new ImportError(`${where}: no tests`);
    const id = row.id !== undefined ? String(row.id) : typeof row.name === "string" ? row.name : "";
    if (!id) throw new ImportError(`${where}: no id`);
    const statement = typeof row.content === "string" ? row.content : typeof row.description === "string" ? row.description : "";
    const name = typeof labels.name === "string" ? labels.name : typeof row.name === "string" ? row.name : id;
    problems.push({
      id,
      title: name,
      statement,
      kind: "stdin",
      limits: limitsOf(row, options),
      checker: "tokens",
      tiers,
      ...(examples.length ? { examples } : {}),
      source: { dataset: "codecontests", ...labels, ...(row.__internal_uuid__ ? { uuid: row.__internal_uuid__ } : {}) },
    });
  }
  return {
    name: "codecontests",
    description: "CodeContests problems imported by `frontier import codecontests`",
    source: { dataset: "codecontests" },
    problems,
  };
}
