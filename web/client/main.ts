// Enhances the server-rendered leaderboard page: sortable columns, the frontier plot and the
// checkpoint detail panel. Everything it shows comes from #page-data; with a team's read key in
// sessionStorage (team-key.ts) it fetches the page once more as that team.
import { displayName, readPageData } from "./data.ts";
import { renderDetail } from "./detail.ts";
import { frontierPlot } from "./plots.ts";
import { makeSortable } from "./sort.ts";
import { teamView } from "./team-key.ts";

function start(): void {
  const data = readPageData(document);
  const table = document.getElementById("leaderboard") as HTMLTableElement | null;
  if (table) makeSortable(table);

  // Filters apply as soon as they change; the Apply button stays for keyboard users who prefer it.
  const form = document.querySelector<HTMLFormElement>("form.filters");
  form?.addEventListener("change", () => form.requestSubmit());

  if (!data) return;
  const plotHost = document.getElementById("frontier-plot");
  if (plotHost && data.frontier && data.frontier.points.length > 0) {
    const draw = () => plotHost.replaceChildren(frontierPlot(data.frontier!, data.k, Math.max(320, Math.min(900, plotHost.clientWidth || 720))));
    draw();
    let pending = 0;
    new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(draw);
    }).observe(plotHost);
  }

  const section = document.getElementById("detail");
  const names = new Map<string, string>();
  for (const row of data.rows) names.set(row.id, displayName({ label: row.label, alpha: row.lineage.alpha, id: row.id }));
  for (const point of data.frontier?.points ?? []) if (!names.has(point.checkpoint)) names.set(point.checkpoint, displayName(point));
  for (const button of document.querySelectorAll<HTMLButtonElement>("button.detail-button")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const id = button.dataset.checkpoint!;
      const detail = data.details[id];
      if (!section || !detail) return;
      for (const other of document.querySelectorAll("button.detail-button[aria-expanded]")) other.removeAttribute("aria-expanded");
      button.setAttribute("aria-expanded", "true");
      renderDetail(section, detail, names.get(id) ?? id);
      section.focus();
    });
  }
}

function boot(): void {
  start();
  void teamView(start);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
