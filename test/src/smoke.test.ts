import { env, SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("runs in workerd with D1", async () => {
  const r = await (env as any).DB.prepare("select 1 as one").first();
  expect(r.one).toBe(1);
  const res = await SELF.fetch("http://x/");
  expect(await res.text()).toBe("placeholder");
});
