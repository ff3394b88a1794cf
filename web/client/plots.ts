// Charts drawn with Observable Plot (bundled; nothing is fetched at view time).
import * as Plot from "@observablehq/plot";
import { displayName, type CheckpointDetail, type Frontier, type FrontierPoint } from "./data.ts";

export const CATEGORIES = ["interpolated", "endpoint", "extrapolated", "not a merge"] as const;
type Category = (typeof CATEGORIES)[number];
// Dark enough for 4.5:1 against white, and told apart by shape as well as colour.
const COLORS = ["#1f5fa8", "#1b1b1b", "#b3400a", "#6a3fa0"];
const SYMBOLS = ["circle", "square", "triangle", "diamond"];
const PARETO_COLOR = "#0a7a3e";

export function category(alpha: number | null): Category {
  if (alpha === null) return "not a merge";
  if (alpha === 0 || alpha === 1) return "endpoint";
  return alpha < 0 || alpha > 1 ? "extrapolated" : "interpolated";
}

type Placed = FrontierPoint & { x: number; y: number; name: string; category: Category };

export function frontierPlot(frontier: Frontier, k: number, width: number): SVGSVGElement | HTMLElement {
  const points: Placed[] = frontier.points
    .filter((p) => p.correctness_failure_rate !== null && p.efficiency_failure_rate !== null)
    .map((p) => ({ ...p, x: p.correctness_failure_rate!, y: p.efficiency_failure_rate!, name: displayName(p), category: category(p.alpha) }));
  // The merge line: grid points joined in α order (the server already orders by α).
  const grid = points.filter((p) => p.alpha !== null).sort((a, b) => a.alpha! - b.alpha!);
  const pareto = points.filter((p) => p.pareto);
  const tip = (p: Placed) =>
    `${p.name}\ncorrectness failures ${(p.x * 100).toFixed(1)}%\nefficiency failures ${(p.y * 100).toFixed(1)}%` +
    (p.pass_at_k[`pass@${k}`] != null ? `\npass@${k} ${(p.pass_at_k[`pass@${k}`]! * 100).toFixed(1)}%` : "") +
    (p.pareto ? "\nPareto set" : "");
  return Plot.plot({
    width,
    height: Math.round(Math.min(460, Math.max(300, width * 0.6))),
    marginLeft: 56,
    marginBottom: 44,
    marginRight: 24,
    grid: true,
    inset: 16,
    ariaLabel: `Frontier of run ${frontier.run}`,
    ariaDescription: "Correctness-failure rate on x, efficiency-failure rate on y; lower-left is better.",
    x: { label: "Correctness-failure rate →", tickFormat: "%" },
    y: { label: "↑ Efficiency-failure rate", tickFormat: "%" },
    color: { domain: [...CATEGORIES], range: COLORS },
    symbol: { domain: [...CATEGORIES], range: SYMBOLS, legend: true },
    marks: [
      Plot.line(grid, { x: "x", y: "y", stroke: "#767676", strokeWidth: 1.5, className: "merge-line", ariaHidden: "true" }),
      Plot.dot(pareto, { x: "x", y: "y", r: 11, stroke: PARETO_COLOR, strokeWidth: 2.5, fill: "none", className: "pareto-marks", ariaHidden: "true" }),
      Plot.dot(points, { x: "x", y: "y", r: 6, symbol: "category", fill: "category", stroke: "white", strokeWidth: 1, title: tip, ariaLabel: tip, className: "checkpoint-marks" }),
      Plot.text(points, { x: "x", y: "y", text: "name", dy: -15, fontSize: 11, fill: "#1b1b1b", stroke: "white", strokeWidth: 3, paintOrder: "stroke", className: "point-labels", ariaHidden: "true" }),
    ],
  });
}

export function passAtKPlot(detail: CheckpointDetail, name: string, width: number): SVGSVGElement | HTMLElement {
  const curve = detail.curve;
  const bars = curve.filter((p) => p.se !== null).map((p) => ({ k: p.k, low: Math.max(0, p.pass - p.se!), high: Math.min(1, p.pass + p.se!) }));
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 56,
    marginBottom: 40,
    grid: true,
    ariaLabel: `pass@k over k for ${name}`,
    x: { type: curve.length > 1 && curve.at(-1)!.k / curve[0]!.k >= 10 ? "log" : "linear", label: "k →", ticks: curve.map((p) => p.k), tickFormat: "d" },
    y: { domain: [0, 1], label: "↑ pass@k", tickFormat: "%" },
    marks: [
      Plot.ruleX(bars, { x: "k", y1: "low", y2: "high", stroke: "#1f5fa8", strokeOpacity: 0.6 }),
      Plot.line(curve, { x: "k", y: "pass", stroke: "#1f5fa8", strokeWidth: 2, marker: "circle" }),
    ],
  });
}
