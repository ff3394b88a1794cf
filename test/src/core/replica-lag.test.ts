// Public reads that miss the cache go through a D1 read session ("first-unconstrained": the
// nearest replica). A replica may lag the primary. The cache must never store a lagging replica's
// answer under the newer public version the isolate already saw, or the stale rows would be served
// until the next write. Here the read session is a second database (REPLICA) holding the state
// before the latest publication, standing in for a replica that has not caught up.
import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import * as schema from "../../../src/db/schema/index.ts";
import type { Database } from "../../../src/ports.ts";
import { buildPorts, type Env } from "../../../src/runtime/workers.ts";
import { buildSeed, type Seed } from "../leaderboard/fixture.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const REPLICA = (env as unknown as { REPLICA: D1Database }).REPLICA;
const version = async (db: D1Database) =>
  (await db.prepare("SELECT version FROM public_versions WHERE scope = 'public'").first<{ version: number }>())!.version;

let seed: Seed;
let latest: string;

beforeAll(async () => {
  seed = buildSeed({ prefix: "lag", ties: 0 });
  // Both databases hold the seed; only the primary then gets one more publication (the replica lags).
  latest = seed.checkpoints.find((c) => c.alpha === 1.5)!.evaluation;
  const statements = seed.statements.filter((s) => !(s.startsWith("INSERT INTO track_publications") && s.includes(`'${latest}'`)));
  expect(statements.length).toBe(seed.statements.length - 1);
  for (const db of [DB, REPLICA]) await db.batch(statements.map((statement) => db.prepare(statement)));
  await REPLICA.prepare("UPDATE public_versions SET version = ? WHERE scope = 'public'")
    .bind(await version(DB))
    .run();
  await DB.prepare("INSERT INTO track_publications (track, evaluation_id, team_id, via, published_at) VALUES (?, ?, 'default', 'api', '2026-12-01T00:00:00Z')")
    .bind(seed.track, latest)
    .run();
  expect(await version(DB)).toBeGreaterThan(await version(REPLICA));
});

describe("public reads on a lagging read replica", () => {
  it("answers from the replica without storing its stale answer under the newer version; the next primary read is stored", async () => {
    let useReplica = false;
    const primaryDb = drizzle(DB, { schema }) as unknown as Database;
    const replicaDb = drizzle(REPLICA, { schema }) as unknown as Database;
    // No shared cache here: the isolate memo alone shows what is stored.
    const ports = { ...buildPorts(env as unknown as Env), cache: undefined, readSession: () => (useReplica ? replicaDb : primaryDb) };
    const app = createApp(ports);
    const get = (path: string) => app.fetch(new Request(new URL(path, "https://frontier.test")), env);
    const rows = async (res: Response) => ((await res.json()) as { data: { evaluation: string }[] }).data.map((r) => r.evaluation);

    // The isolate reads the primary's (newer) version first.
    const board = `/v1/leaderboard?track=${seed.track}&kind=checkpoint&limit=100`;
    const fresh = await get(board);
    expect(fresh.headers.get("x-cache")).toBe("miss");
    expect(await rows(fresh)).toContain(latest);

    // Another URL, read through the lagging replica: it answers (a replica may be behind) but is not stored.
    useReplica = true;
    const other = `${board}&k=2`;
    const stale = await get(other);
    expect(stale.status).toBe(200);
    expect(stale.headers.get("x-cache")).toBe("miss");
    expect(await rows(stale)).not.toContain(latest);
    const again = await get(other);
    expect(again.headers.get("x-cache")).toBe("miss");

    // Read once through the primary: stored under the newer version, then served to every reader.
    useReplica = false;
    const stored = await get(other);
    expect(await rows(stored)).toContain(latest);
    useReplica = true;
    const hit = await get(other);
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect(await rows(hit)).toContain(latest);
    // The first URL stays what the primary answered, whatever session later reads use.
    expect(await rows(await get(board))).toContain(latest);
  });
});
