/** @jsxImportSource hono/jsx */
// GET /: the public leaderboard page (HTML). Its script and styles are served at /assets/* (routes/assets.ts), built
// from web/ by scripts/build-web.ts; the page itself never needs them to be readable.
import { z } from "@hono/zod-openapi";
import type { App } from "../http/env.ts";
import { ProblemError, fieldErrors, validationProblem } from "@frontier/http";
import type { Ports } from "../ports.ts";
import { readDb } from "../http/public-cache.ts";
import { pageData } from "../services/leaderboard-page.ts";
import { LeaderboardPageView } from "../services/leaderboard-view.tsx";

const PageQuerySchema = z.object({
  benchmark: z.string().min(1).max(300).optional(),
  track: z.string().min(1).max(64).optional(),
  k: z.coerce.number().int().min(1).max(100_000).default(1),
  run: z.string().min(1).max(128).optional(),
  cursor: z.string().max(600).optional(),
});

export function mountPages(app: App, ports: Ports) {
  app.get("/", async (c) => {
    const parsed = PageQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw new ProblemError(validationProblem(fieldErrors(parsed.error.issues), 400));
    const query = parsed.data;
    // A run's view is private to its team: only a keyed request (the page's own fetches) may ask for it.
    if (!c.get("principal")) query.run = undefined;
    const data = await pageData(readDb(c, ports), { ...query, team: c.get("principal")?.teamId });
    // Links to the next page keep the filters but not the cursor.
    const kept = new URLSearchParams();
    if (query.benchmark) kept.set("benchmark", query.benchmark);
    if (query.track) kept.set("track", query.track);
    if (c.req.query("k")) kept.set("k", String(query.k));
    if (query.run) kept.set("run", query.run);
    c.header("content-security-policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'");
    return c.html(<LeaderboardPageView data={data} query={kept.toString()} />, data.missing !== null ? 404 : 200);
  });
}
