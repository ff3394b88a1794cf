// Public reads show only what a team published (issue 20): a conforming evaluation ranks on a
// track's public leaderboard and frontier, and its checkpoint becomes readable, only once its team
// publishes it; the team's own key sees its unpublished rows; another team sees neither. The
// ad-hoc view (a benchmark without a track) and the page's run picker are the caller's team's own.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "../pipeline/doubles.ts";
import { buildSeed, type Seed } from "./fixture.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const call = (path: string, key?: string, init: RequestInit = {}) =>
  SELF.fetch(new URL(path, "https://frontier.test").href, {
    ...init,
    headers: { ...(init.body ? { "content-type": "application/json" } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
  });
const json = async (path: string, key?: string) => {
  const res = await call(path, key);
  expect(res.status).toBe(200);
  return res.json<any>();
};
const publish = (evaluation: string, track: string, key: string) =>
  call(`/v1/evaluations/${evaluation}/publications`, key, { method: "POST", body: JSON.stringify({ track }) });

let onTrack: Seed;
let adHoc: Seed;
const keys = {} as { read: string; submit: string; admin: string; other: string; otherSubmit: string };

beforeAll(async () => {
  onTrack = buildSeed({ prefix: "pub", ties: 1, publish: false });
  adHoc = buildSeed({ prefix: "pubx", ties: 1, track: false });
  for (const seed of [onTrack, adHoc]) await DB.batch(seed.statements.map((statement) => DB.prepare(statement)));
  keys.read = await apiKey(["read"]);
  keys.submit = await apiKey(["submit"]);
  keys.admin = await apiKey(["admin"]);
  keys.other = await apiKey(["admin"], "rival-lab");
  keys.otherSubmit = await apiKey(["submit"], "rival-lab");
});

describe("publications: public reads show only what a team published", () => {
  it("an unpublished conforming row is the team's own: anonymous and another team see nothing, anywhere", async () => {
    const board = `/v1/leaderboard?track=${onTrack.track}&limit=100`;
    expect((await json(board)).data).toEqual([]);
    expect((await json(board, keys.other)).data).toEqual([]);
    const own = await json(board, keys.read);
    expect(own.data.filter((r: any) => r.kind === "checkpoint")).toHaveLength(onTrack.checkpoints.length);
    expect(own.data.every((r: any) => r.published === false)).toBe(true);

    // The team's keyed page marks them; the anonymous page has none to mark.
    const keyedPage = await (await call(`/?track=${onTrack.track}`, keys.read)).text();
    expect(keyedPage.match(/class="badge unpublished"/g)?.length).toBe(onTrack.checkpoints.length);

    // The track's frontier: the same rule.
    expect((await json(`/v1/tracks/${onTrack.track}/frontier`)).points).toEqual([]);
    expect((await json(`/v1/tracks/${onTrack.track}/frontier`, keys.other)).points).toEqual([]);
    expect((await json(`/v1/tracks/${onTrack.track}/frontier`, keys.read)).points).toHaveLength(onTrack.checkpoints.length);

    // The page: no rows, no run picker, no run names, no frontier points.
    const page = await (await call(`/?track=${onTrack.track}`)).text();
    expect(page).not.toContain("<tr data-id=");
    expect(page).not.toContain('<select name="run">');
    for (const run of new Set(onTrack.checkpoints.map((c) => c.run))) expect(page).not.toContain(run);

    // Its checkpoints stay private.
    const checkpoint = onTrack.checkpoints[0]!;
    expect((await call(`/v1/checkpoints/${checkpoint.id}`)).status).toBe(404);
  });

  it("the ad-hoc view (a benchmark without a track) is the caller's team's own", async () => {
    const board = `/v1/leaderboard?benchmark=${encodeURIComponent(adHoc.benchmark.id)}&limit=100`;
    const anonymous = await json(board);
    expect(anonymous).toMatchObject({ track: null, data: [] });
    expect((await json(board, keys.other)).data).toEqual([]);
    const own = await json(board, keys.read);
    expect(own.track).toBeNull();
    expect(
      own.data
        .filter((r: any) => r.kind === "checkpoint")
        .map((r: any) => r.id)
        .sort(),
    ).toEqual(adHoc.checkpoints.map((c) => c.id).sort());
    const page = await (await call(`/?benchmark=${encodeURIComponent(adHoc.benchmark.id)}`)).text();
    expect(page).not.toContain("<tr data-id=");
    for (const run of new Set(adHoc.checkpoints.map((c) => c.run))) expect(page).not.toContain(run);
  });

  it("publishing puts exactly that row on the public board and frontier, its checkpoint readable and redacted", async () => {
    const low = onTrack.checkpoints.find((c) => c.label === "low-coverage")!;
    expect((await publish(low.evaluation, onTrack.track!, keys.read)).status).toBe(403);
    expect((await publish(low.evaluation, onTrack.track!, keys.otherSubmit)).status).toBe(404);
    const made = await publish(low.evaluation, onTrack.track!, keys.submit);
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ track: onTrack.track, evaluation: low.evaluation, via: "api" });
    expect((await publish(low.evaluation, onTrack.track!, keys.submit)).status).toBe(200);

    const board = await json(`/v1/leaderboard?track=${onTrack.track}&limit=100`);
    expect(board.data.map((r: any) => [r.id, r.published])).toEqual([[low.id, true]]);
    expect((await json(`/v1/tracks/${onTrack.track}/frontier`)).points.map((p: any) => p.checkpoint)).toEqual([low.id]);
    const listed = await json(`/v1/evaluations/${low.evaluation}/publications`, keys.read);
    expect(listed.data.map((p: any) => p.track)).toEqual([onTrack.track]);
    expect((await call(`/v1/evaluations/${low.evaluation}/publications`)).status).toBe(404);
    expect((await call(`/v1/evaluations/${low.evaluation}/publications`, keys.other)).status).toBe(404);

    const publicCheckpoint = await json(`/v1/checkpoints/${low.id}`);
    expect(publicCheckpoint.url).toBe("hf://acme/");
    // The team's own board marks which of its rows are public.
    const own = await json(`/v1/leaderboard?track=${onTrack.track}&limit=100&kind=checkpoint`, keys.read);
    expect(own.data.filter((r: any) => r.published).map((r: any) => r.id)).toEqual([low.id]);
  });

  it("an ensemble is public only once every member is published", async () => {
    const n = 20;
    const ensembleId = onTrack.ensembleId;
    const publicEnsembles = async () => (await json(`/v1/leaderboard?track=${onTrack.track}&k=${n}&kind=ensemble&limit=100`)).data.map((r: any) => r.id);
    expect(await publicEnsembles()).toEqual([]);
    expect((await json(`/v1/leaderboard?track=${onTrack.track}&k=${n}&kind=ensemble`, keys.read)).data.map((r: any) => r.id)).toEqual([ensembleId]);
    const members = onTrack.checkpoints.filter((c) => c.alpha === -0.5 || c.alpha === 1.5);
    // The page's detail of a published member lists the ensemble only once it is public too, and
    // offers its budget as a k only then (n = 20 is also the published evaluations' n).
    const detailEnsembles = async () => {
      const page = await (await call(`/?track=${onTrack.track}&k=1`)).text();
      const data = JSON.parse(page.match(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/)![1]!);
      return data.details[members[0]!.id].ensembles.map((e: any) => e.id);
    };
    expect((await publish(members[0]!.evaluation, onTrack.track!, keys.submit)).status).toBe(201);
    expect(await publicEnsembles()).toEqual([]);
    expect(await detailEnsembles()).toEqual([]);
    expect((await publish(members[1]!.evaluation, onTrack.track!, keys.submit)).status).toBe(201);
    expect(await publicEnsembles()).toEqual([ensembleId]);
    expect(await detailEnsembles()).toEqual([ensembleId]);
  });

  it("refuses what can never rank, and withdraws with admin on the team only", async () => {
    const high = onTrack.checkpoints.find((c) => c.label === "high-coverage")!;
    // A track on another protocol: 422 problem+json naming the track.
    const refused = await publish(high.evaluation, "no-such-track", keys.submit);
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((await refused.json<any>()).errors[0].path).toBe("track");
    expect((await publish("eval_none", onTrack.track!, keys.submit)).status).toBe(404);

    expect((await publish(high.evaluation, onTrack.track!, keys.submit)).status).toBe(201);
    const withdraw = (key?: string) => call(`/v1/evaluations/${high.evaluation}/publications/${onTrack.track}`, key, { method: "DELETE" });
    expect((await withdraw()).status).toBe(401);
    expect((await withdraw(keys.submit)).status).toBe(403);
    expect((await withdraw(keys.other)).status).toBe(404);
    expect((await json(`/v1/leaderboard?track=${onTrack.track}&limit=100&kind=checkpoint`)).data.map((r: any) => r.id)).toContain(high.id);
    expect((await withdraw(keys.admin)).status).toBe(204);
    expect((await withdraw(keys.admin)).status).toBe(404);
    expect((await json(`/v1/leaderboard?track=${onTrack.track}&limit=100&kind=checkpoint`)).data.map((r: any) => r.id)).not.toContain(high.id);
  });
});
