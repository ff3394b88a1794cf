// The JSON the server embeds in #page-data (src/services/leaderboard-view.tsx writes it).
export interface FrontierPoint {
  checkpoint: string;
  evaluation: string;
  label: string | null;
  alpha: number | null;
  correctness_failure_rate: number | null;
  efficiency_failure_rate: number | null;
  pass_at_k: Record<string, number | null>;
  judged: number;
  problems: number;
  pareto: boolean;
}

export interface Frontier {
  run: string;
  benchmark: string | null;
  points: FrontierPoint[];
  pareto: string[];
}

export interface CheckpointDetail {
  checkpoint: string;
  evaluation: string;
  curve: { k: number; pass: number; se: number | null }[];
  tiers: { tier: number; name: string; pass_rate: number; correctness_failure_rate: number; efficiency_failure_rate: number }[];
  verdicts: Record<string, number>;
  judged: number | null;
  system_errors: number | null;
  ensembles: { id: string; budget: number; allocation: string; ensemble: number; best_single: { member: string; value: number } | null; gain: number | null; this_member_alone: number | null }[];
}

export interface Row {
  kind: "checkpoint" | "ensemble";
  id: string;
  label: string | null;
  lineage: { alpha: number | null };
}

export interface PageData {
  k: number;
  benchmark: string | null;
  frontier: Frontier | null;
  details: Record<string, CheckpointDetail>;
  rows: Row[];
}

export function readPageData(doc: Document): PageData | null {
  const element = doc.getElementById("page-data");
  if (!element?.textContent) return null;
  return JSON.parse(element.textContent) as PageData;
}

export const percent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)}%`);

/** How a checkpoint is named on screen: its label, else its α, else its id. */
export function displayName(point: { label: string | null; alpha: number | null; checkpoint?: string; id?: string }): string {
  return point.label ?? (point.alpha !== null ? `α = ${point.alpha}` : (point.checkpoint ?? point.id ?? "?"));
}
