// Benchmarks: register a pack's benchmark (admin), list them, read one with its problems.
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../http/env.ts";
import { requireScope } from "../http/auth.ts";
import { ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import {
  benchmarkJson,
  BenchmarkInputError,
  benchmarkProblemRows,
  BenchmarkRegistrationSchema,
  listBenchmarks,
  registerBenchmark,
  resolveBenchmark,
} from "../services/benchmarks.ts";

export const Benchmark = z
  .object({
    name: z.string(),
    version: z.string().openapi({ example: "sha256:7ee6e5684b4a2f7888cbad94fe6a5fa27fd32aa6c51de1dd95d945921034ac0a" }),
    id: z.string().openapi({ description: "name@version" }),
    pack: z.string(),
    description: z.string().nullable(),
    problems: z.number().int(),
    tiers: z.array(z.string()),
    registered_at: z.string(),
    problem_list: z
      .array(
        z.object({
          id: z.string(),
          kind: z.string(),
          title: z.string(),
          tiers: z.array(z.string()),
          limits: z.object({ time_ms: z.number(), memory_mb: z.number() }),
        }),
      )
      .optional(),
  })
  .openapi("Benchmark");

const Registration = BenchmarkRegistrationSchema.openapi("BenchmarkRegistration");

export function mountBenchmarks(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/benchmarks",
    tags: ["benchmarks"],
    summary: "Register a benchmark from a problem pack",
    description:
      "Needs the `operator` scope. Body: the pack's `manifest.json` and, per problem, what sampling needs (title, statement, " +
      "starter code, entry point) — never the tests, which stay with the executor. The version is the manifest's content " +
      "hash and is checked against its problem hashes. Registering the same version again answers 200 with the existing one.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: Registration } } } },
    responses: {
      200: { description: "Already registered", content: { "application/json": { schema: Benchmark } } },
      201: { description: "Registered", content: { "application/json": { schema: Benchmark } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    try {
      const { benchmark, created } = await registerBenchmark(ports.db, c.req.valid("json"), ports.clock.now());
      c.header("location", `/v1/benchmarks/${encodeURIComponent(benchmark.name)}?version=${encodeURIComponent(benchmark.version)}`);
      return c.json(benchmarkJson(benchmark), created ? 201 : 200);
    } catch (error) {
      if (error instanceof BenchmarkInputError) throw new ProblemError(validationProblem(error.errors));
      throw error;
    }
  });

  const list = createRoute({
    method: "get",
    path: "/v1/benchmarks",
    tags: ["benchmarks"],
    summary: "Registered benchmarks (every version, newest first per name)",
    responses: { 200: { description: "Benchmarks", content: { "application/json": { schema: z.object({ data: z.array(Benchmark) }) } } } },
  });
  app.openapi(list, async (c) => c.json({ data: (await listBenchmarks(ports.db)).map((row) => benchmarkJson(row)) }, 200));

  const getOne = createRoute({
    method: "get",
    path: "/v1/benchmarks/{name}",
    tags: ["benchmarks"],
    summary: "One benchmark (its latest version, or ?version=) with its problems",
    request: {
      params: z.object({ name: z.string().min(1).max(200) }),
      query: z.object({
        version: z
          .string()
          .regex(/^sha256:[0-9a-f]{64}$/)
          .optional(),
      }),
    },
    responses: { 200: { description: "The benchmark", content: { "application/json": { schema: Benchmark } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const { name } = c.req.valid("param");
    const { version } = c.req.valid("query");
    const row = await resolveBenchmark(ports.db, version ? `${name}@${version}` : name);
    if (!row)
      throw new ProblemError({ status: 404, type: "not-found", title: "Benchmark not found", detail: `no benchmark ${name}${version ? `@${version}` : ""}` });
    return c.json(benchmarkJson(row, await benchmarkProblemRows(ports.db, row.name, row.version)), 200);
  });
}
