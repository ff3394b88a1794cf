// The JSON the server embeds in #page-data (src/services/leaderboard-view.tsx writes it).
// The shapes are the public contracts (type-only imports: nothing but this script is bundled).
import type { CheckpointDetail, FrontierPoint, FrontierView, LeaderboardRow } from "@frontier/contracts";

export type { CheckpointDetail, FrontierPoint };
export type Frontier = FrontierView;

/** The fields of a leaderboard row the script reads. */
export type Row = Pick<LeaderboardRow, "kind" | "id" | "label"> & { lineage: Pick<LeaderboardRow["lineage"], "alpha"> };

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
