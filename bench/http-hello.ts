// Baseline for bench/http.ts: a bare Hono app with one route, served by the same `wrangler dev`.
import { Hono } from "hono";

const app = new Hono();
app.get("/hello", (c) => c.text("hello"));

export default app;
