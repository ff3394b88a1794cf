// The leaderboard page in a real browser: Debian's chromium (driven by playwright-core) against
// `wrangler dev` serving the Worker (its /assets/* route included), with the fixture seeded into local D1.
// Saves test-results/leaderboard.png (and the detail view) as artifacts.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paretoSet } from "../../src/domain/metrics/index.ts";
import { buildWeb } from "../../scripts/build-web.ts";
import { buildSeed, expectedOrder, type Seed } from "../src/leaderboard/fixture.ts";
import { apiKeyInsertSql, newApiKey } from "../../src/db/api-keys.ts";
import { ROOT, startEdge, type Edge } from "../../scripts/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "test-results");
const seed = buildSeed({ prefix: "demo" });
// A second benchmark whose merge grid is crowded at one end: α = 1.25 and 1.5 are judged like α = 1
// but for one sample each, so the three marks sit a few pixels apart and their labels, all drawn
// above the marks, used to collide. (Only the frontier, which reads the samples, moves; the stored
// metrics of this second board are left as the fixture made them.)
const crowded = buildSeed({ prefix: "crowd", ties: 0 });

function crowdSql(s: Seed): string[] {
  const evaluation = (alpha: number) => s.checkpoints.find((c) => c.alpha === alpha)!.evaluation;
  const copy = (alpha: number, flipTo: string) =>
    `INSERT INTO samples (evaluation_id, problem_id, idx, text, language, verdict, tiers_passed, source, received_at, judged_at) ` +
    `SELECT '${evaluation(alpha)}', problem_id, idx, text, language, CASE WHEN problem_id = 'two-sum' AND idx = 0 THEN '${flipTo}' ELSE verdict END, ` +
    `tiers_passed, source, received_at, judged_at FROM samples WHERE evaluation_id = '${evaluation(1)}'`;
  return [`DELETE FROM samples WHERE evaluation_id IN ('${evaluation(1.25)}', '${evaluation(1.5)}')`, copy(1.25, "WA"), copy(1.5, "TLE")];
}

function wranglerD1(stateDir: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), ["d1", ...args, "--local", "--persist-to", stateDir], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.once("exit", (code) => (code === 0 ? done() : fail(new Error(`wrangler d1 ${args.join(" ")} failed (${code}):\n${out.slice(-3000)}`))));
  });
}

let edge: Edge | undefined;
let context: BrowserContext | undefined;
let stateDir = "";
/** A read key of the default team (the seed's), for the page's keyed view of a run. */
let readKey = "";
let profileDir = "";
const problems: string[] = [];

/** Opens a page; with `key`, as the page's team view does: the read key in sessionStorage, never in the URL. */
async function openPage(path: string, key?: string): Promise<Page> {
  const page = await context!.newPage();
  if (key) await page.addInitScript((value) => sessionStorage.setItem("frontier.readKey", value), key);
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText}`));
  page.on("request", (request) => {
    if (!request.url().startsWith(edge!.url)) problems.push(`off-origin request: ${request.url()}`);
  });
  const response = await page.goto(`${edge!.url}${path}`, { waitUntil: "networkidle" });
  expect(response?.status()).toBe(200);
  if (key) await expect.poll(() => page.locator("button.team-key").textContent()).toBe("Forget team key");
  return page;
}

type Rect = { left: number; top: number; right: number; bottom: number; text: string };
const overlap = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The frontier plot's point labels and checkpoint marks as drawn (client rectangles). */
const frontierRects = (page: Page) =>
  page.evaluate(() => {
    const rect = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: e.textContent ?? "" };
    };
    return {
      labels: [...document.querySelectorAll("#frontier-plot g.point-labels text")].map(rect),
      marks: [...document.querySelectorAll("#frontier-plot g.checkpoint-marks > *")].map(rect),
    };
  });

/** Every pair of labels that intersect, and every label lying on a checkpoint mark. */
async function labelCollisions(page: Page): Promise<string[]> {
  const { labels, marks } = await frontierRects(page);
  const found: string[] = [];
  labels.forEach((a, i) => {
    for (const b of labels.slice(i + 1)) if (overlap(a, b)) found.push(`${a.text} / ${b.text}`);
  });
  for (const label of labels) for (const mark of marks) if (overlap(label, mark)) found.push(`${label.text} on a mark`);
  return found;
}

const rowIds = (page: Page) => page.$$eval("#leaderboard tbody tr", (rows) => rows.map((row) => (row as HTMLElement).dataset.id ?? ""));
const columnValues = (page: Page, column: number) =>
  page.$$eval("#leaderboard tbody tr", (rows, i) => rows.map((row) => (row as HTMLTableRowElement).cells[i]!.dataset.sort ?? ""), column);

describe("the leaderboard page in chromium", () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (node scripts/ensure-deps.mjs --browser)`);
    await buildWeb({ quiet: true });
    stateDir = mkdtempSync(join(tmpdir(), "frontier-browser-"));
    profileDir = mkdtempSync(join(tmpdir(), "frontier-chromium-"));
    await wranglerD1(stateDir, ["migrations", "apply", "frontier"]);
    const seedFile = join(stateDir, "seed.sql");
    const reader = await newApiKey(["read"], "browser test", new Date());
    readKey = reader.key;
    writeFileSync(
      seedFile,
      [...seed.statements, ...crowded.statements, ...crowdSql(crowded), apiKeyInsertSql(reader.row).replace(/;$/, "")].map((s) => `${s};`).join("\n"),
    );
    await wranglerD1(stateDir, ["execute", "frontier", "--file", seedFile]);
    // Nothing on the page talks to the executor or the backend: unreachable addresses are fine.
    edge = await startEdge({ executorUrl: "http://127.0.0.1:9", executorToken: "x", backendUrl: "http://127.0.0.1:9", backendToken: "x", stateDir });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await edge?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it("anonymous: the track's published frontier, no run picker; ?run= needs the team's key", async () => {
    const page = await openPage(`/?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&run=${encodeURIComponent(seed.mergeRun)}`);
    expect(await rowIds(page)).toEqual(expectedOrder(seed, 1));
    await page.waitForSelector("#frontier-plot svg[aria-label^='Frontier of track']");
    expect(await page.locator("#frontier-plot g.checkpoint-marks > *").count()).toBe(seed.checkpoints.length);
    expect(await page.locator("select[name=run]").count()).toBe(0);
    expect(await page.locator("button.team-key").textContent()).toBe("Team key…");
    expect(problems).toEqual([]);
  });

  it("shows the seeded rows in order, sorts by mouse and keyboard, draws one mark per checkpoint", async () => {
    const page = await openPage(`/?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&run=${encodeURIComponent(seed.mergeRun)}`, readKey);
    expect(await rowIds(page)).toEqual(expectedOrder(seed, 1));

    // The frontier: one mark per grid checkpoint, the Pareto set ringed, the merge line drawn.
    await page.waitForSelector("#frontier-plot svg");
    expect(await page.locator("#frontier-plot g.checkpoint-marks > *").count()).toBe(seed.frontierIds.length);
    const grid = seed.frontierIds.map((id) => seed.checkpoints.find((c) => c.id === id)!);
    const pareto = paretoSet(grid.map((c) => ({ correctness_failure_rate: c.correctness, efficiency_failure_rate: c.efficiency })));
    expect(await page.locator("#frontier-plot g.pareto-marks > *").count()).toBe(pareto.length);
    expect(await page.locator("#frontier-plot g.merge-line path").count()).toBe(1);
    expect(await page.locator("#frontier-plot g.point-labels text").allTextContents()).toEqual(grid.map((c) => `α = ${c.alpha}`));
    await page.screenshot({ path: join(ARTIFACTS, "leaderboard.png"), fullPage: true });

    // Mouse: the correctness column sorts worst-first, then best-first.
    const correctness = page.getByRole("button", { name: /Correctness failures/ });
    await correctness.click();
    await expect.poll(() => page.getAttribute("th[data-key=correctness]", "aria-sort")).toBe("descending");
    const descending = (await columnValues(page, 4)).map(Number);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await correctness.click();
    expect(await page.getAttribute("th[data-key=correctness]", "aria-sort")).toBe("ascending");
    const ascending = (await columnValues(page, 4)).map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await page.locator("th[aria-sort]").count()).toBe(1);

    // Keyboard: focus the Rank header's button and press Enter to restore the leaderboard order.
    await page.getByRole("button", { name: /^Rank/ }).focus();
    await page.keyboard.press("Enter");
    expect(await page.getAttribute("th[data-key=rank]", "aria-sort")).toBe("ascending");
    expect(await rowIds(page)).toEqual(expectedOrder(seed, 1));
    expect(problems).toEqual([]);
  });

  it("fits a 1280 px window: no horizontal scroll, and the table fits its column", async () => {
    const page = await openPage(`/?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&run=${encodeURIComponent(seed.mergeRun)}`, readKey);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForSelector("#frontier-plot svg");
    const widths = await page.evaluate(() => {
      const table = document.getElementById("leaderboard")!;
      const container = table.parentElement!;
      return {
        document: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        table: table.getBoundingClientRect().width,
        tableScroll: table.scrollWidth,
        container: container.clientWidth,
        containerScroll: container.scrollWidth,
      };
    });
    expect(widths.document).toBeLessThanOrEqual(1280);
    expect(widths.document).toBeLessThanOrEqual(widths.viewport);
    // The section scrolls sideways if its table is wider: the table must not need to.
    expect(widths.table).toBeLessThanOrEqual(widths.container);
    expect(widths.containerScroll).toBeLessThanOrEqual(widths.container);
    // Every column, the last included, is inside the window.
    const lastHeader = await page.locator("#leaderboard thead th").last().boundingBox();
    expect(lastHeader!.x + lastHeader!.width).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: join(ARTIFACTS, "leaderboard-1280.png") });
    expect(problems).toEqual([]);
  });

  it("keeps frontier labels apart, on a crowded grid and in a narrow window", async () => {
    const page = await openPage(`/?benchmark=${encodeURIComponent(crowded.benchmark.id)}&k=1&run=${encodeURIComponent(crowded.mergeRun)}`, readKey);
    await page.waitForSelector("#frontier-plot svg");
    // The crowded end really is crowded: α = 1, 1.25 and 1.5 are drawn within a label's width.
    const { marks } = await frontierRects(page);
    const grid = crowded.frontierIds.map((id) => crowded.checkpoints.find((c) => c.id === id)!);
    const centre = (alpha: number) => {
      const m = marks[grid.findIndex((c) => c.alpha === alpha)]!;
      return [(m.left + m.right) / 2, (m.top + m.bottom) / 2] as const;
    };
    for (const alpha of [1.25, 1.5]) {
      const [[x1, y1], [x2, y2]] = [centre(1), centre(alpha)];
      expect(Math.hypot(x1 - x2, y1 - y2)).toBeLessThan(30);
    }
    // At full width every checkpoint keeps its label, none on another or on a mark.
    expect(await page.locator("#frontier-plot g.point-labels text").allTextContents()).toEqual(grid.map((c) => `α = ${c.alpha}`));
    expect(await labelCollisions(page)).toEqual([]);
    await page.locator("#frontier-figure").screenshot({ path: join(ARTIFACTS, "frontier-crowded.png") });

    // Narrow windows redraw the plot smaller: still no collisions, and the endpoints stay named
    // (a label with no room left is dropped; its mark keeps the tooltip and the data table lists it).
    for (const width of [700, 420]) {
      await page.setViewportSize({ width, height: 800 });
      // The plot redraws at the new width (main.ts watches its host's size).
      await expect
        .poll(async () => (await page.locator("#frontier-plot svg[aria-label^='Frontier of run']").boundingBox())?.width ?? Infinity)
        .toBeLessThanOrEqual(width);
      expect(await labelCollisions(page), `at ${width} px`).toEqual([]);
      const texts = await page.locator("#frontier-plot g.point-labels text").allTextContents();
      expect(texts, `at ${width} px`).toEqual(expect.arrayContaining(["α = 0", "α = 1"]));
      expect(await page.locator("#frontier-plot g.checkpoint-marks > * title").count()).toBe(grid.length);
    }
    await page.locator("#frontier-figure").screenshot({ path: join(ARTIFACTS, "frontier-crowded-narrow.png") });

    // The same holds for the regular grid of the first board.
    const regular = await openPage(`/?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&run=${encodeURIComponent(seed.mergeRun)}`, readKey);
    await regular.waitForSelector("#frontier-plot svg");
    expect(await labelCollisions(regular)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("shows a checkpoint's detail and filters by k", async () => {
    const page = await openPage(`/?benchmark=${encodeURIComponent(seed.benchmark.id)}&run=${encodeURIComponent(seed.mergeRun)}`, readKey);
    const extrapolated = seed.checkpoints.find((c) => c.alpha === -0.5)!;
    await page.locator(`tr[data-id="${extrapolated.id}"] button.detail-button`).click();
    const detail = page.locator("#detail");
    await expect.poll(() => detail.locator("h2").textContent()).toBe("Checkpoint detail: α = -0.5");
    expect(await detail.locator("svg").count()).toBeGreaterThan(0);
    expect(await detail.locator("table").nth(0).locator("tbody tr").count()).toBe(3);
    expect(await detail.locator("table", { hasText: "Ensembles with this checkpoint" }).locator("tbody tr").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "leaderboard-detail.png"), fullPage: true });

    // Changing k submits the filter form: the table re-ranks by pass@5.
    await Promise.all([page.waitForURL(/[?&]k=5/), page.selectOption("select[name=k]", "5")]);
    await page.waitForSelector("#leaderboard");
    expect(await page.locator("th[data-key=pass]").textContent()).toContain("pass@5");
    expect(await rowIds(page)).toEqual(expectedOrder(seed, 5));
    expect(problems).toEqual([]);
  });
});
