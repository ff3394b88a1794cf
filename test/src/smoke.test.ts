import { env, SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("serves the app inside workerd with D1 migrated", async () => {
  const tables = await (env as any).DB.prepare("select name from sqlite_master where type = 'table' and name = 'checkpoints'").all();
  expect(tables.results).toHaveLength(1);
  const res = await SELF.fetch("http://frontier.test/v1/health");
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", checks: { db: "ok" } });
});
