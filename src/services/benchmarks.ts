// Benchmarks registered from problem packs: the manifest (ids, tiers, limits, version) plus what
// sampling needs of each problem (statement, starter code, entry point). Tests stay with the executor.
import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { benchmarkProblems, benchmarks } from "../db/schema/index.ts";
import { PackManifestSchema, packVersion, type PackManifest } from "@frontier/contracts";
import type { Database } from "../ports.ts";
import { chunkRows } from "./sql.ts";

export const ProblemPromptSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().max(500).default(""),
  statement: z.string().max(200_000).default(""),
  starter_code: z.string().max(100_000).optional(),
  function: z.object({ name: z.string().min(1).max(200) }).optional(),
});

export const BenchmarkRegistrationSchema = z.object({
  manifest: PackManifestSchema,
  /** The executor's name for the pack (its PACKS_DIR folder); default the manifest's name. */
  pack: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional(),
  problems: z.array(ProblemPromptSchema).min(1).max(20_000),
});
export type BenchmarkRegistration = z.infer<typeof BenchmarkRegistrationSchema>;

export type BenchmarkRow = typeof benchmarks.$inferSelect;
export type BenchmarkProblemRow = typeof benchmarkProblems.$inferSelect;

export class BenchmarkInputError extends Error {
  constructor(readonly errors: { path: string; message: string }[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join("; "));
  }
}

/** Checks that the prompts match the manifest one to one and that the version is the manifest's content hash. */
export async function checkRegistration(input: BenchmarkRegistration): Promise<void> {
  const errors: { path: string; message: string }[] = [];
  const listed = new Map(input.manifest.problems.map((p) => [p.id, p]));
  if (listed.size !== input.manifest.problems.length) errors.push({ path: "manifest.problems", message: "problem ids must be unique" });
  const prompts = new Set<string>();
  input.problems.forEach((problem, i) => {
    if (!listed.has(problem.id)) errors.push({ path: `problems.${i}.id`, message: `'${problem.id}' is not in the manifest` });
    if (prompts.has(problem.id)) errors.push({ path: `problems.${i}.id`, message: `'${problem.id}' is listed twice` });
    prompts.add(problem.id);
  });
  const missing = [...listed.keys()].filter((id) => !prompts.has(id));
  if (missing.length)
    errors.push({ path: "problems", message: `no prompt for ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}` });
  const expected = await packVersion(input.manifest.problems);
  if (expected !== input.manifest.version) errors.push({ path: "manifest.version", message: `does not match the problems' hashes (expected ${expected})` });
  if (errors.length) throw new BenchmarkInputError(errors);
}

/** Registers a benchmark version; registering the same version again changes nothing. */
export async function registerBenchmark(db: Database, input: BenchmarkRegistration, now: Date): Promise<{ benchmark: BenchmarkRow; created: boolean }> {
  await checkRegistration(input);
  const { manifest } = input;
  const existing = await getBenchmark(db, manifest.name, manifest.version);
  if (existing) return { benchmark: existing, created: false };

  const prompts = new Map(input.problems.map((p) => [p.id, p]));
  const tiers = manifest.problems.reduce<string[]>((longest, p) => (p.tiers.length > longest.length ? p.tiers : longest), []);
  const row: BenchmarkRow = {
    name: manifest.name,
    version: manifest.version,
    pack: input.pack ?? manifest.name,
    description: manifest.description ?? null,
    problemCount: manifest.problems.length,
    tiers,
    registeredAt: now.toISOString(),
  };
  const problemRows: BenchmarkProblemRow[] = manifest.problems.map((entry, position) => {
    const prompt = prompts.get(entry.id)!;
    return {
      benchmark: manifest.name,
      version: manifest.version,
      problemId: entry.id,
      position,
      kind: entry.kind,
      title: prompt.title,
      statement: prompt.statement,
      starterCode: prompt.starter_code ?? null,
      functionName: prompt.function?.name ?? null,
      timeMs: Math.round(entry.limits.time_ms),
      memoryMb: Math.round(entry.limits.memory_mb),
      tiers: entry.tiers,
    };
  });
  const statements = [
    db.insert(benchmarks).values(row).onConflictDoNothing(),
    ...chunkRows(problemRows, 12).map((rows) => db.insert(benchmarkProblems).values(rows).onConflictDoNothing()),
  ];
  await db.batch(statements as [(typeof statements)[0], ...(typeof statements)[number][]]);
  return { benchmark: row, created: true };
}

export async function getBenchmark(db: Database, name: string, version: string): Promise<BenchmarkRow | undefined> {
  const [row] = await db
    .select()
    .from(benchmarks)
    .where(and(eq(benchmarks.name, name), eq(benchmarks.version, version)))
    .limit(1);
  return row;
}

/** `name` (its latest registered version) or `name@sha256:…`. */
export async function resolveBenchmark(db: Database, reference: string): Promise<BenchmarkRow | undefined> {
  const at = reference.indexOf("@");
  if (at > 0) return getBenchmark(db, reference.slice(0, at), reference.slice(at + 1));
  const [row] = await db
    .select()
    .from(benchmarks)
    .where(eq(benchmarks.name, reference))
    .orderBy(desc(benchmarks.registeredAt), desc(benchmarks.version))
    .limit(1);
  return row;
}

export async function benchmarkProblemRows(db: Database, name: string, version: string): Promise<BenchmarkProblemRow[]> {
  return db
    .select()
    .from(benchmarkProblems)
    .where(and(eq(benchmarkProblems.benchmark, name), eq(benchmarkProblems.version, version)))
    .orderBy(asc(benchmarkProblems.position));
}

export async function listBenchmarks(db: Database): Promise<BenchmarkRow[]> {
  return db.select().from(benchmarks).orderBy(asc(benchmarks.name), desc(benchmarks.registeredAt)).limit(500);
}

export function benchmarkJson(row: BenchmarkRow, problems?: BenchmarkProblemRow[]) {
  return {
    name: row.name,
    version: row.version,
    id: `${row.name}@${row.version}`,
    pack: row.pack,
    description: row.description,
    problems: row.problemCount,
    tiers: row.tiers,
    registered_at: row.registeredAt,
    ...(problems
      ? {
          problem_list: problems.map((p) => ({
            id: p.problemId,
            kind: p.kind,
            title: p.title,
            tiers: p.tiers,
            limits: { time_ms: p.timeMs, memory_mb: p.memoryMb },
          })),
        }
      : {}),
  };
}

/** A pack's manifest and problem files → the registration body (prompts only, tests left out). */
export function registrationFromPack(manifest: PackManifest, problemFiles: Map<string, unknown>, pack?: string): BenchmarkRegistration {
  return {
    manifest,
    ...(pack ? { pack } : {}),
    problems: manifest.problems.map((entry) => {
      const problem = problemFiles.get(entry.id) as { title?: unknown; statement?: unknown; starter_code?: unknown; function?: { name?: unknown } } | undefined;
      if (!problem) throw new Error(`pack file for '${entry.id}' is missing`);
      return {
        id: entry.id,
        title: typeof problem.title === "string" ? problem.title : "",
        statement: typeof problem.statement === "string" ? problem.statement : "",
        ...(typeof problem.starter_code === "string" ? { starter_code: problem.starter_code } : {}),
        ...(problem.function?.name ? { function: { name: String(problem.function.name) } } : {}),
      };
    }),
  };
}
