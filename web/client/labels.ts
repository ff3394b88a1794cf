// Point labels that never overlap: greedy placement over a fixed list of candidate spots.
// Chosen over Plot's dodge (which moves marks along one axis, not text) and over labelling only the
// Pareto set (the frontier plot names every merge α; crowded grids are common). Labels are placed in
// priority order; each takes the first candidate around its point that stays inside the frame and
// clears every mark and every label already placed. A label with no free spot is left out: its mark
// still has its tooltip, and the frontier data table below the plot lists every point. Lines (the
// merge line) are a soft obstacle: a spot that crosses one is taken only when no clear spot is left
// at the same distance.

export type Segment = [x1: number, y1: number, x2: number, y2: number];

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelRequest {
  /** The point's position in pixels. */
  x: number;
  y: number;
  /** The label's size in pixels (halo included). */
  width: number;
  height: number;
  /** Radius of the mark drawn at the point: the label keeps clear of it. */
  clearance: number;
}

/** Where a label went: its centre, and whether it sits far enough away to need a leader line. */
export interface Placement {
  x: number;
  y: number;
  box: Box;
  far: boolean;
}

const GAP = 2;
// Above first (how the plot has always read), then below, the sides, the diagonals; then the same
// ring again further out.
const DIRECTIONS: [number, number][] = [
  [0, -1],
  [0, 1],
  [1, 0],
  [-1, 0],
  [1, -1],
  [-1, -1],
  [1, 1],
  [-1, 1],
];
const RINGS = [0, 12, 26];

export const intersects = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const inside = (box: Box, frame: Box) => box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;

function boxAt(x: number, y: number, width: number, height: number): Box {
  return { left: x - width / 2, top: y - height / 2, right: x + width / 2, bottom: y + height / 2 };
}

/** Whether a mark's disc (radius = its clearance) reaches into the box. */
function covers(mark: LabelRequest, box: Box): boolean {
  const dx = mark.x - Math.min(Math.max(mark.x, box.left), box.right);
  const dy = mark.y - Math.min(Math.max(mark.y, box.top), box.bottom);
  return dx * dx + dy * dy < mark.clearance * mark.clearance;
}

/** Whether the segment crosses the box (Liang–Barsky clipping against its four sides). */
export function crosses([x1, y1, x2, y2]: Segment, box: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  for (const [p, q] of [
    [-dx, x1 - box.left],
    [dx, box.right - x1],
    [-dy, y1 - box.top],
    [dy, box.bottom - y1],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/**
 * Places labels in the order given (put the most important first). Returns one entry per request,
 * null where no free spot exists.
 */
export function placeLabels(requests: LabelRequest[], frame: Box, lines: Segment[] = []): (Placement | null)[] {
  const placed: Box[] = [];
  const candidates = (request: LabelRequest) =>
    RINGS.map((ring) =>
      DIRECTIONS.map(([dx, dy]) => {
        // Centre far enough along (dx, dy) that the label's near edge clears the mark by GAP + ring.
        const reach = request.clearance + GAP + ring;
        const diagonal = dx !== 0 && dy !== 0 ? Math.SQRT1_2 : 1;
        let x = request.x + dx * (reach * diagonal + request.width / 2);
        let y = request.y + dy * (reach * diagonal + request.height / 2);
        // A label above or below a point near the frame's side slides along it, as long as it still
        // spans the point's x (likewise vertically for labels to the side).
        if (dx === 0) x = slide(x, request.width / 2, frame.left, frame.right, request.x);
        if (dy === 0) y = slide(y, request.height / 2, frame.top, frame.bottom, request.y);
        return { x, y, box: boxAt(x, y, request.width, request.height), far: ring > 0 };
      }),
    );
  return requests.map((request) => {
    // Nearest ring first; within a ring, a spot clear of the lines before one that crosses them.
    for (const ring of candidates(request)) {
      const free = ring.filter(
        ({ box }) => inside(box, frame) && !requests.some((mark) => covers(mark, box)) && !placed.some((other) => intersects(box, other)),
      );
      const choice = free.find(({ box }) => !lines.some((line) => crosses(line, box))) ?? free[0];
      if (choice) {
        placed.push(choice.box);
        return choice;
      }
    }
    return null;
  });
}

/** Shifts a centre so its half-extent fits in [low, high], keeping `anchor` inside the extent. */
function slide(centre: number, half: number, low: number, high: number, anchor: number): number {
  const shifted = Math.min(Math.max(centre, low + half), high - half);
  return Math.abs(shifted - anchor) <= half ? shifted : centre;
}
