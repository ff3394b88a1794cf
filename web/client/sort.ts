// Sortable leaderboard table: each column header becomes a button (keyboard and mouse); the sorted
// column carries aria-sort, and rows without a value always go last.
type Direction = "ascending" | "descending";

function compareCells(a: string, b: string, numeric: boolean): number {
  if (numeric) return Number(a) - Number(b);
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
}

export function sortTable(table: HTMLTableElement, columnIndex: number, direction: Direction, numeric: boolean): void {
  const body = table.tBodies[0];
  if (!body) return;
  const rows = [...body.rows].filter((row) => row.cells.length > columnIndex);
  const value = (row: HTMLTableRowElement) => row.cells[columnIndex]?.dataset.sort ?? "";
  const rank = (row: HTMLTableRowElement) => Number(row.cells[0]?.dataset.sort ?? 0);
  rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === "" || vb === "") return va === vb ? rank(a) - rank(b) : va === "" ? 1 : -1;
    const order = compareCells(va, vb, numeric);
    return (direction === "ascending" ? order : -order) || rank(a) - rank(b);
  });
  body.append(...rows);
}

export function makeSortable(table: HTMLTableElement): void {
  const headers = [...table.tHead!.rows[0]!.cells] as HTMLTableCellElement[];
  headers.forEach((header, index) => {
    const numeric = header.dataset.type === "number";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = header.textContent;
    const hint = document.createElement("span");
    hint.className = "sort-indicator";
    hint.setAttribute("aria-hidden", "true");
    button.append(hint);
    header.replaceChildren(button);
    button.addEventListener("click", () => {
      const current = header.getAttribute("aria-sort");
      // Scores read best-first; names and runs read A to Z.
      const first: Direction = numeric && header.dataset.key !== "rank" ? "descending" : "ascending";
      const direction: Direction = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
      for (const other of headers) other.removeAttribute("aria-sort");
      header.setAttribute("aria-sort", direction);
      sortTable(table, index, direction, numeric);
    });
  });
}
