// The demo's figures from a real run: merges the two endpoints with the backend's merge engine over
// α ∈ [−0.5, 1.5], reads each merged checkpoint back, and computes — from the exact softmax and the
// executor's recorded verdicts, so without sampling noise — pass@1, the correctness- and
// efficiency-failure rates, pass@k, and the equal-budget ensemble pass@k against the best single
// checkpoint. Writes packs/demo-policy/report.json and prints Markdown tables.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mergeCheckpoints } from "../../workers/gpu-backend/src/merge/engine.ts";
import { Checkpoint } from "../../workers/gpu-backend/src/safetensors/index.ts";
import { forward, softmax, TENSORS, type DemoConfig, type Params } from "../../workers/gpu-backend/src/samplers/demo-model.ts";
import { bundledSplit } from "../split.ts";
import { isCorrectnessFailure, isEfficiencyFailure, loadData, type ProblemData } from "./data.ts";
import { CHECKPOINTS_DIR } from "./train.ts";

export const ALPHAS = [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];
const K_VALUES = [1, 2, 4, 10, 20];

export async function readParams(dir: string): Promise<Params> {
  const ckpt = await Checkpoint.open(dir);
  try {
    const params = {} as Params;
    for (const name of TENSORS) params[name] = await ckpt.readFloat32(name);
    return params;
  } finally {
    await ckpt.close();
  }
}

export interface PolicyStats {
  /** Per problem: probability that one sample is AC. */
  pAC: number[];
  pass1: number;
  /** Probability that one sample passes the small tier (what the low-coverage reward pays for). */
  passSmall: number;
  correctness: number;
  efficiency: number;
}

export function stats(config: DemoConfig, params: Params, data: ProblemData[], temperature = 1): PolicyStats {
  let correctness = 0;
  let efficiency = 0;
  let passSmall = 0;
  const pAC = data.map((problem) => {
    const probs = softmax(
      forward(
        config,
        params,
        problem.x,
        problem.candidates.map((c) => c.y),
      ).logits,
      temperature,
    );
    let ac = 0;
    problem.candidates.forEach((c, i) => {
      if (c.tiersPassed >= 1) passSmall += probs[i]!;
      if (c.verdict === "AC") ac += probs[i]!;
      else if (isCorrectnessFailure(c.verdict)) correctness += probs[i]!;
      else if (isEfficiencyFailure(c.verdict)) efficiency += probs[i]!;
    });
    return ac;
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { pAC, pass1: mean(pAC), passSmall: passSmall / data.length, correctness: correctness / data.length, efficiency: efficiency / data.length };
}

/** pass@k of independent draws: 1 − Π_j (1 − p_j)^{k_j}, averaged over problems. */
export function passAtK(members: { pAC: number[]; samples: number }[]): number {
  const problems = members[0]!.pAC.length;
  let total = 0;
  for (let i = 0; i < problems; i++) total += 1 - members.reduce((fail, m) => fail * (1 - m.pAC[i]!) ** m.samples, 1);
  return total / problems;
}

async function main(): Promise<void> {
  const config = JSON.parse(await readFile(join(CHECKPOINTS_DIR, "base", "config.json"), "utf8")) as DemoConfig;
  // Exact expectations on the held-out problems only: the ones the policy never trained on.
  const heldOut = new Set(bundledSplit().held_out);
  const data = (await loadData(config)).filter((p) => heldOut.has(p.id));
  const work = await mkdtemp(join(tmpdir(), "frontier-demo-report-"));
  const rows: { label: string; alpha: number | null; s: PolicyStats }[] = [];
  try {
    rows.push({ label: "base", alpha: null, s: stats(config, await readParams(join(CHECKPOINTS_DIR, "base")), data) });
    for (const alpha of ALPHAS) {
      const outDir = join(work, `alpha_${alpha}`);
      await mergeCheckpoints({
        parents: [
          { url: join(CHECKPOINTS_DIR, "low-coverage"), coefficient: 1 - alpha },
          { url: join(CHECKPOINTS_DIR, "high-coverage"), coefficient: alpha },
        ],
        outDir,
      });
      rows.push({
        label: alpha === 0 ? "low-coverage" : alpha === 1 ? "high-coverage" : `α=${alpha}`,
        alpha,
        s: stats(config, await readParams(outDir), data),
      });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines: string[] = [];
  lines.push(
    "| checkpoint | α | pass@1 | correctness failures | efficiency failures | " +
      K_VALUES.slice(1)
        .map((k) => `pass@${k}`)
        .join(" | ") +
      " |",
  );
  lines.push(
    "|---|---|---|---|---|" +
      K_VALUES.slice(1)
        .map(() => "---|")
        .join(""),
  );
  for (const r of rows) {
    const ks = K_VALUES.slice(1).map((k) => pct(passAtK([{ pAC: r.s.pAC, samples: k }])));
    lines.push(`| ${r.label} | ${r.alpha ?? "—"} | ${pct(r.s.pass1)} | ${pct(r.s.correctness)} | ${pct(r.s.efficiency)} | ${ks.join(" | ")} |`);
  }

  const merged = rows.filter((r) => r.alpha !== null);
  const byAlpha = (a: number) => merged.find((r) => r.alpha === a)!.s;
  const ensembles = [
    { name: "endpoints {0, 1}", alphas: [0, 1] },
    { name: "extrapolated {−0.5, 1.5}", alphas: [-0.5, 1.5] },
    { name: "frontier {−0.5, 0, 0.5, 1, 1.5}", alphas: [-0.5, 0, 0.5, 1, 1.5] },
  ];
  const budgets = [10, 20, 40];
  const ensembleRows: { ensemble: string; k: number; ensemble_pass: number; best_single: number; best_single_alpha: number }[] = [];
  lines.push("", "| ensemble (equal split) | budget k | ensemble pass@k | best single checkpoint pass@k (its α) | gain |", "|---|---|---|---|---|");
  for (const e of ensembles) {
    for (const k of budgets) {
      const ens = passAtK(e.alphas.map((a) => ({ pAC: byAlpha(a).pAC, samples: k / e.alphas.length })));
      const singles = merged.map((r) => ({ alpha: r.alpha!, pass: passAtK([{ pAC: r.s.pAC, samples: k }]) }));
      const best = singles.reduce((a, b) => (b.pass > a.pass ? b : a));
      ensembleRows.push({ ensemble: e.name, k, ensemble_pass: ens, best_single: best.pass, best_single_alpha: best.alpha });
      lines.push(`| ${e.name} | ${k} | ${pct(ens)} | ${pct(best.pass)} (α=${best.alpha}) | ${((ens - best.pass) * 100).toFixed(2)} pts |`);
    }
  }
  // Which problems each endpoint is better at: the heterogeneity that lets an ensemble help.
  const low = byAlpha(0).pAC;
  const high = byAlpha(1).pAC;
  const lowBetter = data.filter((_, i) => low[i]! > high[i]! + 0.05).map((p) => p.id);
  const highBetter = data.filter((_, i) => high[i]! > low[i]! + 0.05).map((p) => p.id);
  lines.push("", `problems where low-coverage's pass@1 is > 5 pts higher: ${lowBetter.length} (${lowBetter.join(", ")})`);
  lines.push(`problems where high-coverage's pass@1 is > 5 pts higher: ${highBetter.length} (${highBetter.join(", ")})`);

  const report = {
    temperature: 1,
    split: "held-out",
    problems: data.length,
    rows: rows.map((r) => ({
      label: r.label,
      alpha: r.alpha,
      pass1: r.s.pass1,
      correctness_failures: r.s.correctness,
      efficiency_failures: r.s.efficiency,
      ...Object.fromEntries(K_VALUES.slice(1).map((k) => [`pass@${k}`, passAtK([{ pAC: r.s.pAC, samples: k }])])),
    })),
    ensembles: ensembleRows,
    low_better: lowBetter,
    high_better: highBetter,
  };
  await writeFile(fileURLToPath(new URL("./report.json", import.meta.url)), `${JSON.stringify(report, null, 1)}\n`);
  console.log(lines.join("\n"));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
