// Tables shared by `frontier frontier`, `frontier ensemble --api` and the `npm start` summary.
import type { Ensemble, Frontier } from "./resources.ts";
import { alphaText, passAt, percent, points, renderTable } from "./table.ts";

/** One row per checkpoint along the run, ordered by α; `*` marks the Pareto set. */
export function frontierTable(frontier: Frontier, ks: number[]): string {
  if (frontier.points.length === 0) return `no complete evaluations in run ${frontier.run}`;
  return renderTable(
    [
      { header: "α", align: "right" },
      { header: "checkpoint" },
      ...ks.map((k) => ({ header: `pass@${k}`, align: "right" as const })),
      { header: "correctness fail", align: "right" },
      { header: "efficiency fail", align: "right" },
      { header: "other fail", align: "right" },
      { header: "pareto" },
    ],
    frontier.points.map((p) => [
      alphaText(p.alpha),
      p.label && p.alpha === null ? `${p.checkpoint} (${p.label})` : p.checkpoint,
      ...ks.map((k) => percent(passAt(p.pass_at_k, k))),
      percent(p.correctness_failure_rate),
      percent(p.efficiency_failure_rate),
      percent(p.other_failure_rate ?? null),
      p.pareto ? "*" : "",
    ]),
  );
}

/** The ensemble against the best single member at the same budget, and how the budget was split. */
export function ensembleLines(ensemble: Ensemble, names: Map<string, string> = new Map()): string {
  const r = ensemble.result;
  const name = (member: string) => names.get(member) ?? member;
  const lines = [
    renderTable(
      [{ header: `at a budget of ${ensemble.budget} samples per problem` }, { header: `pass@${ensemble.budget}`, align: "right" }],
      [
        [`ensemble of ${ensemble.members.length} (${ensemble.allocation} split)`, percent(r.ensemble)],
        [r.best_single ? `best single checkpoint: ${name(r.best_single.member)}` : "best single checkpoint (needs n ≥ budget)", percent(r.best_single?.value)],
        [
          `gain (${r.selection === "in_sample" ? "in sample, biased" : (r.selection ?? "in sample")}${r.gain_ci ? ", 95% interval" : ""})`,
          r.gain_ci ? `${points(r.gain)} [${points(r.gain_ci[0])}, ${points(r.gain_ci[1])}]` : points(r.gain),
        ],
      ],
    ),
    `split: ${Object.entries(r.allocation)
      .map(([member, k]) => `${name(member)}×${Number.isInteger(k) ? k : k.toFixed(2)}`)
      .join(", ")}`,
  ];
  for (const warning of r.warnings ?? []) lines.push(`note: ${warning}`);
  return lines.join("\n");
}

/**
 * Several ensembles at one budget, one row each: the split, the ensemble, the best single member as
 * the ensemble's own selection chose it (cross-fitted by default), the gain and its 95% interval.
 */
export function ensemblesTable(rows: { label: string; ensemble: Ensemble }[], names: Map<string, string> = new Map()): string {
  const name = (member: string) => names.get(member) ?? member;
  const budget = rows[0]?.ensemble.budget;
  return renderTable(
    [
      { header: "members" },
      { header: "split (samples each)" },
      { header: `ensemble pass@${budget}`, align: "right" },
      { header: "best single (selection)", align: "right" },
      { header: "gain", align: "right" },
      { header: "95% interval", align: "right" },
    ],
    rows.map(({ label, ensemble }) => {
      const r = ensemble.result;
      const selection = r.selection === "in_sample" ? "in sample, biased" : (r.selection ?? "in sample");
      return [
        label,
        Object.entries(r.allocation)
          .map(([member, k]) => `${name(member)}×${Number.isInteger(k) ? k : k.toFixed(2)}`)
          .join(" "),
        percent(r.ensemble),
        r.best_single ? `${percent(r.best_single.value)} (${name(r.best_single.member)}, ${selection})` : "—",
        points(r.gain),
        r.gain_ci ? `[${points(r.gain_ci[0])}, ${points(r.gain_ci[1])}]` : "—",
      ];
    }),
  );
}
