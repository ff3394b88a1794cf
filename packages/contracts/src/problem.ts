// The problem JSON contract shared by the edge, the executor, the packs and the importers.
// See ARCHITECTURE.md ("Contracts worth keeping stable").
import { z } from "zod";

/** NC: the completion held no code to run (nothing extracted); the executor never sees it. */
export const VERDICTS = ["AC", "WA", "TLE", "MLE", "RE", "CE", "OLE", "SE", "NC"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Failures that are the program being wrong (the paper's correctness failures). */
export const CORRECTNESS_FAILURES: readonly Verdict[] = ["WA", "RE"];
/** Failures that are the program being too slow or too big. */
export const EFFICIENCY_FAILURES: readonly Verdict[] = ["TLE", "MLE"];
/** Failures counted and shown apart from both rates: compile/extraction error, output limit, no code. */
export const OTHER_FAILURES: readonly Verdict[] = ["CE", "OLE", "NC"];

export const LANGUAGES = ["python", "cpp"] as const;
export type Language = (typeof LANGUAGES)[number];

export const TestCaseSchema = z.object({
  input: z.string(),
  output: z.string(),
});

export const TierSchema = z.object({
  name: z.string().min(1),
  tests: z.array(TestCaseSchema),
});

export const CheckerSchema = z.union([
  z.literal("tokens"),
  z.literal("exact"),
  z.string().regex(/^float:\d+(\.\d+)?(e-?\d+)?$/i, "checker must be tokens, exact or float:EPS"),
]);

export const ProblemSchema = z.object({
  id: z.string().min(1),
  title: z.string().default(""),
  statement: z.string().default(""),
  kind: z.enum(["stdin", "functional", "assert"]),
  /** Functional problems: the method or function to call (LiveCodeBench `fn_name`). */
  function: z.object({ name: z.string().min(1) }).optional(),
  limits: z.object({
    time_ms: z.number().int().positive(),
    memory_mb: z.number().int().positive(),
  }),
  checker: CheckerSchema.default("tokens"),
  /** Ordered, nested: tier i includes every test of tiers 0..i; each tier lists only its own new tests. */
  tiers: z.array(TierSchema).min(1),
  /**
   * Public tests (not a tier): the only tests a model may ever see, in the statement, in tool use and
   * as agentic feedback. LiveCodeBench/CodeContests public tests; written by hand for bundled packs.
   */
  examples: z.array(TestCaseSchema).optional(),
  /** Optional starter code shown to the model (LiveCodeBench `starter_code`, HumanEval prompt). */
  starter_code: z.string().optional(),
  /** Free-form provenance: source dataset, original ids, difficulty. */
  source: z.record(z.string(), z.unknown()).optional(),
});

export type TestCase = z.infer<typeof TestCaseSchema>;
export type Tier = z.infer<typeof TierSchema>;
export type Problem = z.infer<typeof ProblemSchema>;
export type ProblemInput = z.input<typeof ProblemSchema>;
