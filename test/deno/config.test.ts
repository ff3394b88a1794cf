// The Deno runtime's configuration mirrors the Workers one: wrangler.toml's queues (read with
// wrangler's own parser) equal the retry policy module both runtimes read, for development and
// production; its write limit; and npm packages at package.json's versions, resolved from the local
// node_modules so nothing is downloaded at run time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { DEFAULT_WRITE_LIMIT } from "../../src/runtime/shared.ts";
import { QUEUE_TOPOLOGY } from "../../src/queue/retry-policy.ts";
import { REPO } from "./deno-process.ts";

const denoJson = JSON.parse(readFileSync(join(REPO, "deno.json"), "utf8"));
const packageJson = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));

describe("Deno configuration", () => {
  type Producer = { queue: string; binding: string };
  type Consumer = {
    queue: string;
    max_batch_size?: number;
    max_batch_timeout?: number;
    max_retries?: number;
    retry_delay?: number;
    dead_letter_queue?: string;
  };
  type RateLimit = { name: string; simple: { limit: number; period: number } };
  type Wrangler = { queues: { producers?: Producer[]; consumers?: Consumer[] }; ratelimits?: RateLimit[] };
  const read = (env?: string) => unstable_readConfig({ config: join(REPO, "wrangler.toml"), env }) as unknown as Wrangler;
  const wrangler = read();

  it.each(["development", "production"] as const)("wrangler.toml's %s queues are the retry policy's numbers", (environment) => {
    const config = read(environment === "production" ? "production" : undefined);
    const topology = QUEUE_TOPOLOGY[environment];
    const producers = Object.fromEntries((config.queues.producers ?? []).map((p) => [p.binding.replace(/_QUEUE$/, "").toLowerCase(), p.queue]));
    expect(topology.producers).toEqual(producers);
    const consumers = Object.fromEntries(
      (config.queues.consumers ?? []).map((c) => [
        c.queue,
        {
          maxBatchSize: c.max_batch_size,
          maxBatchTimeoutSeconds: c.max_batch_timeout,
          maxRetries: c.max_retries,
          retryDelaySeconds: c.retry_delay,
          ...(c.dead_letter_queue ? { deadLetterQueue: c.dead_letter_queue } : {}),
        },
      ]),
    );
    expect(topology.consumers).toEqual(consumers);
  });

  it("defaults the write limit to wrangler.toml's WRITE_LIMITER", () => {
    const limiter = (wrangler.ratelimits ?? []).find((r) => r.name === "WRITE_LIMITER");
    expect(limiter?.simple).toEqual({ limit: DEFAULT_WRITE_LIMIT.limit, period: DEFAULT_WRITE_LIMIT.periodSeconds });
  });

  it("maps npm packages at exactly package.json's versions, from the local node_modules", () => {
    expect(denoJson.nodeModulesDir).toBe("manual");
    const versions = { ...packageJson.dependencies, ...packageJson.devDependencies } as Record<string, string>;
    for (const [specifier, target] of Object.entries(denoJson.imports as Record<string, string>)) {
      if (target.startsWith("./")) {
        // A workspace package (packages/*): mapped to the entry its own package.json exports.
        const folder = join(REPO, target.replace(/\/src\/index\.ts$/, ""));
        const workspace = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
        expect(workspace.name, target).toBe(specifier);
        expect(join(folder, workspace.exports["."]), specifier).toBe(join(REPO, target));
        continue;
      }
      const match = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/?$/.exec(target);
      expect(match, `${specifier} → ${target}`).not.toBeNull();
      const [, name, version] = match!;
      expect(versions[name], `${name} is not in package.json`).toBeDefined();
      expect(version, name).toBe(versions[name]);
      expect(specifier.replace(/\/$/, "")).toBe(name);
    }
  });

  it("maps every npm package that src/ imports (the CLI aside: it runs on Node)", () => {
    const mapped = new Set(Object.keys(denoJson.imports).map((specifier) => specifier.replace(/\/$/, "")));
    const missing = new Set<string>();
    for (const file of walk(join(REPO, "src"))) {
      if (file.startsWith(join(REPO, "src/cli/"))) continue;
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
      for (const statement of source.statements) {
        if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
        const specifier = statement.moduleSpecifier;
        if (!specifier || !ts.isStringLiteral(specifier) || /^(\.|node:|cloudflare:)/.test(specifier.text)) continue;
        const name = specifier.text.startsWith("@") ? specifier.text.split("/").slice(0, 2).join("/") : specifier.text.split("/")[0];
        if (!mapped.has(name)) missing.add(`${name} (${file.slice(REPO.length)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });
});

function* walk(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield path;
  }
}
