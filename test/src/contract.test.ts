// The HTTP contract suite (test/contract) against the Workers entry inside workerd, on D1.
import { env, SELF } from "cloudflare:test";
import { apiKeyInsertSql, newApiKey } from "../../src/db/api-keys.ts";
import { registerContractSuite } from "../contract/index.ts";

const bindings = env as unknown as { DB: D1Database; WEBHOOK_SECRET: string; ALLOW_FILE_URLS: string };

registerContractSuite({
  fetch: (path, init) => SELF.fetch(new URL(path, "https://frontier.test").href, init),
  async createApiKey(scopes) {
    const { key, row } = await newApiKey(scopes, "contract test", new Date());
    // The same statement `npm run keys` sends through `wrangler d1 execute`.
    await bindings.DB.exec(apiKeyInsertSql(row));
    return key;
  },
  webhookSecret: bindings.WEBHOOK_SECRET,
  now: () => new Date(),
  allowsFileUrls: bindings.ALLOW_FILE_URLS === "true",
});
