// What the demo policy trains and reports on: every problem of the bundled pack with its features,
// its candidate pool's features and the executor's recorded verdicts.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CORRECTNESS_FAILURES, EFFICIENCY_FAILURES, ProblemSchema, type Verdict } from "@frontier/contracts";
import { PackManifestSchema } from "@frontier/contracts";
import { candidateFeatures, problemFeatures, type DemoConfig } from "../../workers/gpu-backend/src/samplers/demo-model.ts";
import { BUNDLED_DIR, loadPool } from "../generator/judging.ts";
import { readVerdicts } from "../generator/verdicts.ts";

export interface ProblemData {
  id: string;
  x: Float32Array;
  candidates: { name: string; y: Float32Array; verdict: Verdict; tiersPassed: number }[];
  tiers: number;
}

export async function loadTags(): Promise<{ id: string; kind: string; tags: string[]; tiers: number }[]> {
  const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(BUNDLED_DIR, "manifest.json"), "utf8")));
  return Promise.all(
    manifest.problems.map(async (entry) => {
      const problem = ProblemSchema.parse(JSON.parse(await readFile(join(BUNDLED_DIR, entry.file), "utf8")));
      return { id: problem.id, kind: problem.kind, tags: (problem.source?.tags as string[] | undefined) ?? [], tiers: problem.tiers.length };
    }),
  );
}

export async function loadData(config: DemoConfig): Promise<ProblemData[]> {
  const verdicts = await readVerdicts();
  const problems = await loadTags();
  return Promise.all(
    problems.map(async (p) => {
      const pool = await loadPool(p.id);
      const recorded = verdicts.problems[p.id]?.candidates;
      if (!recorded) throw new Error(`verdicts.json has no record of ${p.id}: run npm run packs:verdicts`);
      return {
        id: p.id,
        x: problemFeatures(config, p),
        tiers: p.tiers,
        candidates: pool.map((c) => {
          const v = recorded[c.name];
          if (!v) throw new Error(`verdicts.json has no record of ${p.id}/${c.name}: run npm run packs:verdicts`);
          return { name: c.name, y: candidateFeatures(c.code, c.language), verdict: v.verdict, tiersPassed: v.tiers_passed };
        }),
      };
    }),
  );
}

export const isCorrectnessFailure = (v: Verdict) => CORRECTNESS_FAILURES.includes(v);
export const isEfficiencyFailure = (v: Verdict) => EFFICIENCY_FAILURES.includes(v);
