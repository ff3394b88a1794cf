// Baseline for bench/http.ts: a bare Hono app with one route, served by the same `wrangler dev`.
// `/body?bytes=N` (a diagnostic, not the baseline) answers a JSON body of N bytes, so the bench can
// tell what the cached leaderboard's body size costs through wrangler dev.
import { Hono } from "hono";

const app = new Hono();
app.get("/hello", (c) => c.text("hello"));

const bodies = new Map<number, string>();
app.get("/body", (c) => {
  const bytes = Number(c.req.query("bytes") ?? 0);
  let body = bodies.get(bytes);
  if (body === undefined) {
    body = JSON.stringify({ data: "x".repeat(Math.max(0, bytes - 11)) });
    bodies.set(bytes, body);
  }
  return c.body(body, 200, { "content-type": "application/json" });
});

export default app;
