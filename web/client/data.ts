// The JSON the server embeds in #page-data (src/services/leaderboard-view.tsx writes it).
// The shapes come from the server's own types (type-only imports: nothing of the server is bundled).
import type { CheckpointDetail, FrontierView } from "../../src/services/leaderboard-page.ts";

export type { CheckpointDetail };
export type Frontier = FrontierView;
export type FrontierPoint = Frontier["points"][number];

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
