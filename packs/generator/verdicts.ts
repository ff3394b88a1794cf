// `npm run packs:verdicts`: judges every candidate of every problem with the real executor and
// writes packs/bundled/verdicts.json. Nothing in that file is written by hand: it is this script's
// record of what the executor said (verdict, tiers passed, where the first failure was).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PackManifestSchema } from "@frontier/contracts";
import { sha256Hex } from "@frontier/contracts";
import { ProblemSchema, type Verdict } from "@frontier/contracts";
import { BUNDLED_DIR, loadPool, openJudge } from "./judging.ts";

export interface CandidateVerdict {
  language: "python" | "cpp";
  /** sha256 of the candidate's source, so a stale record is detected. */
  sha256: string;
  verdict: Verdict;
  /** Leading tiers passed: 0 = fails small, tiers.length = AC. */
  tiers_passed: number;
  failure: null | { tier: number; test: number; verdict: Verdict };
}

export interface VerdictsFile {
  format: "frontier-verdicts/1";
  pack_version: string;
  executor: { python: string | null; gxx: string | null };
  tiers: string[];
  problems: Record<string, { problem_sha256: string; candidates: Record<string, CandidateVerdict> }>;
}

export const VERDICTS_FILE = join(BUNDLED_DIR, "verdicts.json");

/**
 * The margin rule: a bundled verdict must not sit near its time limit, or load decides it. An AC
 * candidate's slowest test takes at most half the limit; a TLE candidate is still TLE with the limit
 * doubled (so it needs at least twice the limit). `atDouble` is the verdict judged with time_ms × 2.
 */
export interface MarginInput {
  name: string;
  verdict: Verdict;
  /** CPU time of the slowest test (AC). */
  time_ms: number;
  /** TLE candidates: the verdict with the time limit doubled. */
  atDouble?: Verdict;
}

export const MARGIN = 2;

export function marginViolations(limitMs: number, candidates: MarginInput[]): string[] {
  const out: string[] = [];
  for (const c of candidates) {
    if (c.verdict === "AC" && c.time_ms > limitMs / MARGIN) {
      out.push(`${c.name}: AC in ${c.time_ms} ms, over half the ${limitMs} ms limit`);
    }
    if (c.verdict === "TLE" && c.atDouble !== "TLE") {
      out.push(`${c.name}: TLE at ${limitMs} ms but ${c.atDouble ?? "not judged"} at ${limitMs * MARGIN} ms (under twice the limit)`);
    }
  }
  return out;
}

export async function readVerdicts(path = VERDICTS_FILE): Promise<VerdictsFile> {
  return JSON.parse(await readFile(path, "utf8")) as VerdictsFile;
}

async function main(): Promise<number> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(BUNDLED_DIR, "manifest.json"), "utf8")));
  const previous = await readVerdicts().catch(() => null);
  const judge = await openJudge(2);
  const probe = await judge.probe();
  if (!probe.available) throw new Error(`the sandbox is not available: ${probe.reason}`);
  const problems: VerdictsFile["problems"] = {};
  const violations: string[] = [];
  try {
    for (const entry of manifest.problems) {
      const kept = previous?.problems[entry.id];
      if (only.length && !only.includes(entry.id) && kept?.problem_sha256 === entry.sha256) {
        problems[entry.id] = kept;
        continue;
      }
      const problem = ProblemSchema.parse(JSON.parse(await readFile(join(BUNDLED_DIR, entry.file), "utf8")));
      const pool = await loadPool(entry.id);
      const started = Date.now();
      const results = await judge.judge(
        problem,
        pool.map((c) => ({ id: c.name, language: c.language, code: c.code })),
      );
      const record: Record<string, CandidateVerdict> = {};
      for (const [i, candidate] of pool.entries()) {
        const r = results[i]!;
        record[candidate.name] = {
          language: candidate.language,
          sha256: await sha256Hex(candidate.code),
          verdict: r.verdict,
          tiers_passed: r.tiers_passed,
          failure: r.failure ? { tier: r.failure.tier, test: r.failure.test, verdict: r.failure.verdict } : null,
        };
      }
      problems[entry.id] = { problem_sha256: entry.sha256, candidates: record };
      // The margin rule: AC at most limit/2; TLE still TLE with the limit doubled.
      const limit = problem.limits.time_ms;
      const slow = pool.filter((_, i) => results[i]!.verdict === "TLE");
      const doubled = slow.length
        ? await judge.judge(
            { ...problem, limits: { ...problem.limits, time_ms: limit * MARGIN } },
            slow.map((c) => ({ id: c.name, language: c.language, code: c.code })),
          )
        : [];
      const atDouble = new Map(slow.map((c, i) => [c.name, doubled[i]!.verdict]));
      const margins = pool.map((c, i) => ({ name: c.name, verdict: results[i]!.verdict, time_ms: results[i]!.time_ms, atDouble: atDouble.get(c.name) }));
      for (const v of marginViolations(limit, margins)) violations.push(`${entry.id}/${v}`);
      const summary = pool.map((c) => `${c.name}=${record[c.name]!.verdict}@${record[c.name]!.tiers_passed}`).join(" ");
      console.log(`${entry.id} (${((Date.now() - started) / 1000).toFixed(1)} s): ${summary}`);
    }
  } finally {
    await judge.close();
  }
  const out: VerdictsFile = {
    format: "frontier-verdicts/1",
    pack_version: manifest.version,
    executor: { python: probe.versions.python, gxx: probe.versions.gxx },
    tiers: ["small", "medium", "large"],
    problems,
  };
  await writeFile(VERDICTS_FILE, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`packs:verdicts: ${Object.values(problems).reduce((s, p) => s + Object.keys(p.candidates).length, 0)} candidates → ${VERDICTS_FILE}`);
  if (violations.length) {
    console.error(`packs:verdicts: ${violations.length} verdict(s) within a factor of ${MARGIN} of the time limit:`);
    for (const v of violations) console.error(`  ${v}`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
