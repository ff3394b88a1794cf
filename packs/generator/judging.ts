// The judging side of the pack tooling: paths, loading candidate pools, and calling the real executor.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { extname, join } from "node:path";
import type { Language, Problem } from "@frontier/contracts";

export const PACKS_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BUNDLED_DIR = join(PACKS_DIR, "bundled");
export const CANDIDATES_DIR = join(BUNDLED_DIR, "candidates");
/** The reference solution of every problem is the efficient Python candidate of its pool. */
export const REFERENCE = "efficient.py";

export interface Candidate {
  problem: string;
  /** File name inside candidates/<problem>/, e.g. "slow.py". */
  name: string;
  language: Language;
  code: string;
}

export function languageOf(file: string): Language {
  const ext = extname(file);
  if (ext === ".py") return "python";
  if (ext === ".cpp") return "cpp";
  throw new Error(`unknown candidate language: ${file}`);
}

/** The candidate pool of one problem, sorted by file name (the order the demo policy's logits use). */
export async function loadPool(problemId: string, candidatesDir = CANDIDATES_DIR): Promise<Candidate[]> {
  const names = (await readdir(join(candidatesDir, problemId))).filter((n) => /\.(py|cpp)$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({ problem: problemId, name, language: languageOf(name), code: await readFile(join(candidatesDir, problemId, name), "utf8") })),
  );
}

type JudgeModule = typeof import("../../workers/executor/src/judge.ts");

/** The executor's judge library (loaded lazily so generation works without it). */
export async function openJudge(concurrency = 2) {
  const { Judge } = (await import("../../workers/executor/src/judge.ts")) as JudgeModule;
  return new Judge({ concurrency });
}

/** Judges every reference on every tier (all tests); returns the ones that are not AC. */
export async function judgeReferences(problems: Problem[]): Promise<{ problem: string; verdict: string; detail: string }[]> {
  const judge = await openJudge();
  try {
    const failures: { problem: string; verdict: string; detail: string }[] = [];
    await Promise.all(
      problems.map(async (problem) => {
        const code = await readFile(join(CANDIDATES_DIR, problem.id, REFERENCE), "utf8");
        const [result] = await judge.judge(problem, [{ id: REFERENCE, language: "python", code }], { allTests: true });
        if (result?.verdict !== "AC" || result.tiers_passed !== problem.tiers.length) {
          failures.push({ problem: problem.id, verdict: result?.verdict ?? "SE", detail: JSON.stringify(result?.failure ?? null) });
        }
      }),
    );
    return failures.sort((a, b) => a.problem.localeCompare(b.problem));
  } finally {
    await judge.close();
  }
}
