// LiveCodeBench → pack. Accepts both row shapes found in the wild:
//  - SandboxFusion rows: `content` (prompt), `labels` (JSON: task_id, difficulty, category),
//    `test` = base64(zlib(pickle({"input_output": "<json {inputs, outputs, fn_name}>"}))).
//  - release rows (code_generation_lite): `question_id`, `question_title`, `question_content`,
//    `public_test_cases` / `private_test_cases` (JSON, or base64(zlib(pickle(json string)))),
//    `starter_code`, `metadata` (JSON with `func_name`).
// Release rows keep public and private tests as two nested tiers (public ⊂ all), as the source splits them.
import type { Problem, TestCase, Tier } from "@frontier/contracts";
import { base64Bytes, ImportError, jsonField, parseJsonl, type ImportedPack } from "./common.ts";
import { zlibInflate } from "./common.ts";
import { unpickle } from "./pickle.ts";

export interface ImportOptions {
  time_ms?: number;
  memory_mb?: number;
}

/** LiveCodeBench's own harness gives each test 6 s. */
const DEFAULT_LIMITS = { time_ms: 6000, memory_mb: 1024 };

/** Decodes base64(zlib(pickle(x))) to x. */
export async function decodePickledTests(encoded: string): Promise<unknown> {
  const compressed = base64Bytes(encoded);
  let raw: Uint8Array;
  try {
    raw = await zlibInflate(compressed);
  } catch {
    throw new ImportError("test field is base64 but not zlib data");
  }
  return unpickle(raw);
}

/** Splits the SandboxFusion prompt into the question and the starter code of its answer format. */
function splitPrompt(content: string): { statement: string; starter?: string } {
  const question = content.indexOf("### Question:");
  const format = content.indexOf("### Format:");
  if (question < 0) return { statement: content };
  const statement = content.slice(question + "### Question:".length, format > question ? format : undefined).trim();
  const fenced = format >= 0 ? /```python\n([\s\S]*?)```/.exec(content.slice(format)) : null;
  const starter = fenced && !/^\s*# YOUR CODE HERE\s*$/.test(fenced[1]!) ? fenced[1]!.replace(/\s+$/, "\n") : undefined;
  return { statement, starter };
}

function toText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function ioTests(io: unknown, where: string): { tests: TestCase[]; fnName?: string } {
  if (!io || typeof io !== "object") throw new ImportError(`${where}: input_output is not an object`);
  const { inputs, outputs, fn_name } = io as { inputs?: unknown; outputs?: unknown; fn_name?: unknown };
  if (!Array.isArray(inputs) || !Array.isArray(outputs) || inputs.length !== outputs.length) {
    throw new ImportError(`${where}: input_output needs inputs and outputs arrays of equal length`);
  }
  return {
    tests: inputs.map((input, i) => ({ input: toText(input), output: toText(outputs[i]) })),
    fnName: typeof fn_name === "string" && fn_name ? fn_name : undefined,
  };
}

async function sandboxFusionRow(row: Record<string, unknown>, where: string, limits: Problem["limits"]): Promise<Problem> {
  const labels = jsonField(row.labels ?? "{}", `${where}: labels`) as Record<string, unknown>;
  const id = typeof labels.task_id === "string" ? labels.task_id : String(row.id ?? "");
  if (!id) throw new ImportError(`${where}: no task_id in labels and no id`);
  if (typeof row.test !== "string") throw new ImportError(`${where}: field 'test' missing`);
  let payload = await decodePickledTests(row.test);
  if (typeof payload === "string") payload = jsonField(payload, `${where}: test`);
  const io =
    payload && typeof payload === "object" && "input_output" in payload
      ? jsonField((payload as { input_output: unknown }).input_output, `${where}: input_output`)
      : payload;
  const { tests, fnName } = ioTests(io, where);
  const content = typeof row.content === "string" ? row.content : "";
  const { statement, starter } = splitPrompt(content);
  return {
    id,
    title: id,
    statement,
    kind: fnName ? "functional" : "stdin",
    ...(fnName ? { function: { name: fnName } } : {}),
    limits,
    checker: "tokens",
    tiers: [{ name: "full", tests }],
    ...(starter ? { starter_code: starter } : {}),
    source: { dataset: "livecodebench", shape: "sandboxfusion", row_id: row.id, ...labels },
  };
}

async function releaseTests(value: unknown, where: string): Promise<{ tests: TestCase[]; types: Set<string> }> {
  if (value === undefined || value === null || value === "") return { tests: [], types: new Set() };
  let parsed: unknown;
  if (typeof value === "string" && !/^\s*\[/.test(value)) {
    parsed = await decodePickledTests(value);
    if (typeof parsed === "string") parsed = jsonField(parsed, where);
  } else {
    parsed = jsonField(value, where);
  }
  if (!Array.isArray(parsed)) throw new ImportError(`${where}: expected a list of test cases`);
  const types = new Set<string>();
  const tests = parsed.map((t, i) => {
    if (!t || typeof t !== "object" || !("input" in t) || !("output" in t)) throw new ImportError(`${where}[${i}]: needs input and output`);
    const { input, output, testtype } = t as { input: unknown; output: unknown; testtype?: unknown };
    if (typeof testtype === "string") types.add(testtype);
    return { input: toText(input), output: toText(output) };
  });
  return { tests, types };
}

async function releaseRow(row: Record<string, unknown>, where: string, limits: Problem["limits"]): Promise<Problem> {
  const id = row.question_id;
  if (typeof id !== "string" && typeof id !== "number") throw new ImportError(`${where}: field 'question_id' missing`);
  const metadata = jsonField(row.metadata ?? "{}", `${where}: metadata`) as Record<string, unknown>;
  const pub = await releaseTests(row.public_test_cases, `${where}: public_test_cases`);
  const priv = await releaseTests(row.private_test_cases, `${where}: private_test_cases`);
  const fnName = typeof metadata.func_name === "string" ? metadata.func_name : undefined;
  const functional = fnName !== undefined || pub.types.has("functional") || priv.types.has("functional");
  if (functional && !fnName) throw new ImportError(`${where}: functional tests but no func_name in metadata`);
  const tiers: Tier[] = [];
  if (pub.tests.length) tiers.push({ name: "public", tests: pub.tests });
  if (priv.tests.length) tiers.push({ name: "private", tests: priv.tests });
  if (!tiers.length) throw new ImportError(`${where}: no tests`);
  const starter = typeof row.starter_code === "string" && row.starter_code.trim() ? row.starter_code : undefined;
  const { question_content, public_test_cases, private_test_cases, metadata: _m, starter_code: _s, ...rest } = row;
  return {
    id: String(id),
    title: typeof row.question_title === "string" ? row.question_title : String(id),
    statement: typeof question_content === "string" ? question_content : "",
    kind: functional ? "functional" : "stdin",
    ...(fnName ? { function: { name: fnName } } : {}),
    limits,
    checker: "tokens",
    tiers,
    // The public test cases (the statement's examples) are the `examples` a model may see; they stay tier 0 too.
    ...(pub.tests.length ? { examples: pub.tests } : {}),
    ...(starter ? { starter_code: starter } : {}),
    source: { dataset: "livecodebench", shape: "release", ...rest, metadata },
  };
}

export async function importLiveCodeBench(text: string, options: ImportOptions = {}): Promise<ImportedPack> {
  const limits = { time_ms: options.time_ms ?? DEFAULT_LIMITS.time_ms, memory_mb: options.memory_mb ?? DEFAULT_LIMITS.memory_mb };
  const problems: Problem[] = [];
  for (const { line, row } of parseJsonl(text, "livecodebench")) {
    const where = `livecodebench line ${line}`;
    if ("question_id" in row || "public_test_cases" in row) problems.push(await releaseRow(row, where, limits));
    else if ("test" in row) problems.push(await sandboxFusionRow(row, where, limits));
    else throw new ImportError(`${where}: neither a release row (question_id, public_test_cases) nor a SandboxFusion row (test)`);
  }
  return {
    name: "livecodebench",
    description: "LiveCodeBench problems imported by `frontier import livecodebench`",
    source: { dataset: "livecodebench" },
    problems,
  };
}
