// Charts drawn with Observable Plot (bundled; nothing is fetched at view time).
import * as Plot from "@observablehq/plot";
import { displayName, type CheckpointDetail, type Frontier, type FrontierPoint } from "./data.ts";
import { placeLabels, type LabelRequest, type Segment } from "./labels.ts";

export const CATEGORIES = ["interpolated", "endpoint", "extrapolated", "not a merge"] as const;
type Category = (typeof CATEGORIES)[number];
// Dark enough for 4.5:1 against white, and told apart by shape as well as colour.
const COLORS = ["#1f5fa8", "#1b1b1b", "#b3400a", "#6a3fa0"];
const SYMBOLS = ["circle", "square", "triangle", "diamond"];
const PARETO_COLOR = "#0a7a3e";
const LABEL_FONT_SIZE = 11;
// Plot's own font (plot.js sets it on the SVG), so measured widths match the drawn text.
const PLOT_FONT = "system-ui, sans-serif";
// How far a label keeps from a point: a disc that covers the drawn symbol's bounding box at r = 6
// (d3's triangle and diamond reach well past r), and the r = 11 Pareto ring with its stroke.
const CLEARANCE: Record<Category, number> = { interpolated: 9, endpoint: 8, extrapolated: 13, "not a merge": 12 };
const RING_CLEARANCE = 13;

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
    ariaLabel: frontier.run !== null ? `Frontier of run ${frontier.run}` : `Frontier of track ${frontier.track ?? ""}`,
    ariaDescription: "Correctness-failure rate on x, efficiency-failure rate on y; lower-left is better.",
    x: { label: "Correctness-failure rate →", tickFormat: "%" },
    y: { label: "↑ Efficiency-failure rate", tickFormat: "%" },
    color: { domain: [...CATEGORIES], range: COLORS },
    symbol: { domain: [...CATEGORIES], range: SYMBOLS, legend: true },
    marks: [
      Plot.line(grid, { x: "x", y: "y", stroke: "#767676", strokeWidth: 1.5, className: "merge-line", ariaHidden: "true" }),
      Plot.dot(pareto, { x: "x", y: "y", r: 11, stroke: PARETO_COLOR, strokeWidth: 2.5, fill: "none", className: "pareto-marks", ariaHidden: "true" }),
      Plot.dot(points, {
        x: "x",
        y: "y",
        r: 6,
        symbol: "category",
        fill: "category",
        stroke: "white",
        strokeWidth: 1,
        title: tip,
        ariaLabel: tip,
        className: "checkpoint-marks",
      }),
      Plot.text(points, {
        x: "x",
        y: "y",
        text: "name",
        fontSize: LABEL_FONT_SIZE,
        fill: "#1b1b1b",
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
        className: "point-labels",
        ariaHidden: "true",
        render: (index, scales, values, dimensions, context, next) => placedLabels(points, grid, index, scales, values, dimensions, context, next!),
      }),
    ],
  });
}

type RenderArgs = Parameters<Plot.RenderFunction>;

/** Moves each label to a free spot next to its point (see labels.ts) and drops those with none. */
function placedLabels(
  points: Placed[],
  grid: Placed[],
  index: number[],
  scales: RenderArgs[1],
  values: RenderArgs[2],
  dimensions: RenderArgs[3],
  context: RenderArgs[4],
  next: Plot.RenderFunction,
): SVGElement | null {
  const X = values.x as unknown as ArrayLike<number>;
  const Y = values.y as unknown as ArrayLike<number>;
  const measure = context.document.createElement("canvas").getContext("2d");
  if (measure) measure.font = `${LABEL_FONT_SIZE}px ${PLOT_FONT}`;
  // The endpoints (and checkpoints that are not merges) are named first, then the Pareto set, then
  // the rest in α order.
  const rank = (i: number) => (points[i]!.category === "endpoint" || points[i]!.category === "not a merge" ? 0 : points[i]!.pareto ? 1 : 2);
  const order = [...index].sort((a, b) => rank(a) - rank(b) || a - b);
  const halo = 3;
  const requests: LabelRequest[] = order.map((i) => ({
    x: X[i]!,
    y: Y[i]!,
    width: (measure?.measureText(points[i]!.name).width ?? points[i]!.name.length * LABEL_FONT_SIZE * 0.6) + halo,
    height: LABEL_FONT_SIZE + halo,
    clearance: Math.max(CLEARANCE[points[i]!.category], points[i]!.pareto ? RING_CLEARANCE : 0),
  }));
  const { width, height, marginTop, marginBottom, marginLeft } = dimensions;
  // The merge line in pixels, so labels avoid lying across it where they can.
  // The index may be a typed array, whose map() would return numbers.
  const at = new Map(Array.from(index, (i) => [points[i]!, [X[i]!, Y[i]!] as const]));
  const path = grid.flatMap((p) => (at.has(p) ? [at.get(p)!] : []));
  const lines = path.slice(1).map(([x2, y2], j): Segment => [path[j]![0], path[j]![1], x2, y2]);
  // Labels may use the empty right margin, never the axes' margins.
  const frame = { left: marginLeft, top: marginTop, right: width, bottom: height - marginBottom };
  const placements = placeLabels(requests, frame, lines);
  const LX = Float64Array.from(X);
  const LY = Float64Array.from(Y);
  const shown: number[] = [];
  const leaders: [number, number, number, number][] = [];
  order.forEach((i, j) => {
    const placement = placements[j];
    if (!placement) return;
    LX[i] = placement.x;
    LY[i] = placement.y;
    shown.push(i);
    if (placement.far) {
      // From the edge of the mark, not its centre, so the line never crosses the symbol.
      const [dx, dy] = [placement.x - X[i]!, placement.y - Y[i]!];
      const start = requests[j]!.clearance / Math.hypot(dx, dy);
      leaders.push([X[i]! + dx * start, Y[i]! + dy * start, placement.x, placement.y]);
    }
  });
  shown.sort((a, b) => a - b);
  const g = next(shown, scales, { ...values, x: LX, y: LY } as unknown as RenderArgs[2], dimensions, context);
  // A label pushed to the outer ring gets a thin line back to its point, under the text's halo.
  for (const [x1, y1, x2, y2] of leaders) {
    const line = context.document.createElementNS("http://www.w3.org/2000/svg", "line");
    for (const [name, value] of Object.entries({ x1, y1, x2, y2, stroke: "#767676", "stroke-width": 1 })) line.setAttribute(name, String(value));
    g?.insertBefore(line, g.firstChild);
  }
  return g;
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
