// The building blocks of a generated problem: a seeded PRNG, the problem definition shape, and
// helpers to format stdin and functional (one JSON value per line) tests.
import type { ProblemInput } from "@frontier/contracts";
import { EXAMPLES } from "./examples.ts";

/** SplitMix-style 32-bit PRNG (mulberry32): tiny, fast, and the same on every runtime. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform integer in [lo, hi] (inclusive; exact for spans up to 2^53). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Uniform bigint in [lo, hi]. */
  big(lo: bigint, hi: bigint): bigint {
    const span = hi - lo + 1n;
    let r = 0n;
    for (let i = 0; i < 4; i++) r = (r << 32n) | BigInt(Math.floor(this.next() * 4294967296));
    return lo + (r % span);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.int(lo, hi));
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
  string(n: number, alphabet: string): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

/** 32-bit FNV-1a of a string, to derive per-problem, per-tier seeds from one global seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A test before formatting: stdin text, or the argument list of a functional call. */
export type Case<I> = I;

export interface ProblemDefinition<I> {
  id: string;
  title: string;
  statement: string;
  kind: "stdin" | "functional";
  /** Functional problems: the method name (LiveCodeBench convention: class Solution). */
  functionName?: string;
  time_ms: number;
  memory_mb: number;
  checker?: "tokens" | "exact";
  /** Starter code shown to the model (functional problems: the class Solution signature). */
  starter?: string;
  /** Topic tags: problem features of the demo policy. */
  tags: string[];
  /** Hand-made cases. */
  small: I[];
  /** Random cases of moderate size (a naive algorithm still passes). */
  medium(rng: Rng): I[];
  /** Maximum-size cases (only an efficient algorithm passes). */
  large(rng: Rng): I[];
  /** The oracle: the expected answer of one case. */
  solve(input: I): unknown;
  /** stdin text of a case (stdin problems) or the argument list (functional problems). */
  format(input: I): string | unknown[];
  /** Output text of an answer (stdin problems); functional answers are JSON. */
  render?(answer: unknown): string;
}

export function defineProblem<I>(definition: ProblemDefinition<I>): ProblemDefinition<I> {
  return definition;
}

export const lines = (...rows: (string | number | bigint | (string | number | bigint)[])[]): string =>
  `${rows.map((r) => (Array.isArray(r) ? r.join(" ") : String(r))).join("\n")}\n`;

export const TIERS = ["small", "medium", "large"] as const;

/** Turns a definition into the problem JSON, with tests for all three tiers from `seed`. */
export function buildProblem<I>(def: ProblemDefinition<I>, seed: number): ProblemInput {
  const tierCases: Record<(typeof TIERS)[number], I[]> = {
    small: def.small,
    medium: def.medium(new Rng(hash32(`${seed}:${def.id}:medium`))),
    large: def.large(new Rng(hash32(`${seed}:${def.id}:large`))),
  };
  const test = (input: I) => {
    const answer = def.solve(input);
    const formatted = def.format(input);
    if (def.kind === "functional") {
      if (!Array.isArray(formatted)) throw new Error(`${def.id}: functional format must return the argument list`);
      return { input: formatted.map((arg) => JSON.stringify(arg)).join("\n"), output: JSON.stringify(answer) };
    }
    if (typeof formatted !== "string") throw new Error(`${def.id}: stdin format must return text`);
    const output = def.render ? def.render(answer) : `${Array.isArray(answer) ? answer.join("\n") : String(answer)}\n`;
    return { input: formatted, output };
  };
  const tiers = TIERS.map((name) => ({ name, tests: tierCases[name].map(test) }));
  // Public tests: written by hand (examples.ts), never a test of any tier.
  const examples = ((EXAMPLES[def.id] ?? []) as I[]).map(test);
  if (examples.length === 0) throw new Error(`${def.id}: no examples (packs/generator/examples.ts)`);
  const hidden = new Set(tiers.flatMap((t) => t.tests.map((c) => c.input)));
  for (const example of examples) if (hidden.has(example.input)) throw new Error(`${def.id}: an example is also a hidden test`);
  return {
    id: def.id,
    title: def.title,
    statement: def.statement.trim(),
    kind: def.kind,
    ...(def.functionName ? { function: { name: def.functionName } } : {}),
    limits: { time_ms: def.time_ms, memory_mb: def.memory_mb },
    checker: def.checker ?? "tokens",
    tiers,
    examples,
    ...(def.starter ? { starter_code: def.starter } : {}),
    source: { dataset: "frontier-bundled", tags: def.tags },
  };
}
