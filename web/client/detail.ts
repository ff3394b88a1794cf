// The detail panel of one checkpoint: pass@k over k, tier-by-tier pass rates, the verdicts its
// failures came from, and each ensemble it is in against the best single member at that budget.
import { percent, type CheckpointDetail } from "./data.ts";
import { passAtKPlot } from "./plots.ts";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function table(caption: string, headers: string[], rows: string[][]): HTMLTableElement {
  const node = element("table");
  node.append(element("caption", caption));
  const head = element("thead");
  const headRow = element("tr");
  for (const h of headers) headRow.append(element("th", h, { scope: "col" }));
  head.append(headRow);
  const body = element("tbody");
  for (const row of rows) {
    const tr = element("tr");
    row.forEach((cell, i) => {
      tr.append(i === 0 ? element("th", cell, { scope: "row" }) : element("td", cell, NUMERIC.test(cell) ? { class: "num" } : {}));
    });
    body.append(tr);
  }
  node.append(head, body);
  return node;
}

const NUMERIC = /^([-+]?[\d.]+(%| pts)?|—)$/;
const CORRECTNESS = ["WA", "RE", "CE", "OLE"];
const EFFICIENCY = ["TLE", "MLE"];

export function renderDetail(section: HTMLElement, detail: CheckpointDetail, name: string): void {
  const heading = element("h2", `Checkpoint detail: ${name}`, { id: "detail-heading" });
  const parts: Node[] = [
    heading,
    element("p", `Evaluation ${detail.evaluation} · ${detail.judged ?? 0} judged samples · ${detail.system_errors ?? 0} system errors (not counted)`, {
      class: "hint",
    }),
  ];

  const grid = element("div", undefined, { class: "detail-grid" });
  const curve = element("figure");
  if (detail.curve.length > 0) {
    curve.append(passAtKPlot(detail, name, 420));
    curve.append(element("figcaption", "pass@k over k; bars are ± one standard error over problems."));
  } else curve.append(element("p", "No pass@k stored."));
  grid.append(curve);

  grid.append(
    table(
      "Tier by tier (each tier includes the tests of the tiers before it)",
      ["Tier", "Pass", "Correctness failures", "Efficiency failures"],
      detail.tiers.map((t) => [t.name, percent(t.pass_rate), percent(t.correctness_failure_rate), percent(t.efficiency_failure_rate)]),
    ),
  );
  const verdicts = Object.entries(detail.verdicts).filter(([, count]) => count > 0);
  const judged = detail.judged ?? 0;
  const kindOf = (v: string) => (v === "AC" ? "pass" : CORRECTNESS.includes(v) ? "correctness" : EFFICIENCY.includes(v) ? "efficiency" : "system");
  grid.append(
    table(
      "Failure breakdown by verdict",
      ["Verdict", "Kind", "Samples", "Share of judged"],
      verdicts.map(([verdict, count]) => [verdict, kindOf(verdict), String(count), verdict === "SE" || judged === 0 ? "—" : percent(count / judged)]),
    ),
  );
  grid.append(
    detail.ensembles.length > 0
      ? table(
          "Ensembles with this checkpoint, against the best single member at the same budget",
          ["Ensemble", "Budget", "Ensemble pass@budget", "Best single", "This checkpoint alone", "Gain"],
          detail.ensembles.map((e) => [
            `${e.id} (${e.allocation})`,
            String(e.budget),
            percent(e.ensemble),
            e.best_single ? percent(e.best_single.value) : "—",
            percent(e.this_member_alone),
            e.gain === null ? "—" : `${e.gain >= 0 ? "+" : ""}${(e.gain * 100).toFixed(1)} pts`,
          ]),
        )
      : element("p", "Not a member of any ensemble on this benchmark."),
  );
  parts.push(grid);
  section.replaceChildren(...parts);
}
