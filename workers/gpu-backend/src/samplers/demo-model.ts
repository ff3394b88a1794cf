// The demo policy model: a tiny network from problem features to logits over that problem's pool of
// candidate programs. Shared by the demo sampler, the training script and the report.
//
//   h       = tanh(W_enc · x_problem + b_enc)              (hidden, H units)
//   u       = W_score · h + b_score                        (a direction in candidate-feature space)
//   logit_c = u · y_c                                      (y_c: features read off candidate c's source)
//
// Candidate features are computed from the program text only (never from its verdict), so the
// policy has to generalise across problems from what programs look like, as a language model does.

export const TENSORS = ["encoder.weight", "encoder.bias", "scorer.weight", "scorer.bias"] as const;
export type TensorName = (typeof TENSORS)[number];

export interface DemoConfig {
  model_type: "frontier-demo-policy";
  /** Problem feature names: "bias", "kind:functional", then "tag:<tag>" for every tag of the pack. */
  problem_features: string[];
  /** Candidate feature names, see `candidateFeatures`. */
  candidate_features: string[];
  hidden: number;
}

export type Params = Record<TensorName, Float32Array>;

export const CANDIDATE_FEATURES = [
  "bias",
  "lang:cpp",
  "lines",
  "loop_depth",
  "nested_loops",
  "sorts",
  "hash_structures",
  "library_structures",
  "recursion",
  "fast_input",
  "max_min_calls",
  "big_allocation",
] as const;

/** Problem features: bias, functional kind, and one-hot topic tags. */
export function problemFeatures(config: DemoConfig, problem: { kind: string; tags: string[] }): Float32Array {
  const x = new Float32Array(config.problem_features.length);
  config.problem_features.forEach((name, i) => {
    if (name === "bias") x[i] = 1;
    else if (name === "kind:functional") x[i] = problem.kind === "functional" ? 1 : 0;
    else if (name.startsWith("tag:")) x[i] = problem.tags.includes(name.slice(4)) ? 1 : 0;
  });
  return x;
}

/** Deepest nesting of for/while loops, from indentation (Python) or braces (C++). */
function loopDepth(code: string, cpp: boolean): number {
  let best = 0;
  if (cpp) {
    const stack: boolean[] = [];
    const tokens = code.match(/\b(for|while)\b|[{}]/g) ?? [];
    let pendingLoop = false;
    for (const t of tokens) {
      if (t === "for" || t === "while") pendingLoop = true;
      else if (t === "{") {
        stack.push(pendingLoop);
        pendingLoop = false;
        best = Math.max(best, stack.filter(Boolean).length);
      } else stack.pop();
    }
    return Math.max(best, pendingLoop ? 1 : 0);
  }
  const open: number[] = [];
  for (const line of code.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    while (open.length && open[open.length - 1]! >= indent) open.pop();
    if (/^\s*(for|while)\b/.test(line)) {
      open.push(indent);
      best = Math.max(best, open.length);
    }
  }
  return best;
}

/** Features of a candidate program, read off its text. */
export function candidateFeatures(code: string, language: "python" | "cpp"): Float32Array {
  const cpp = language === "cpp";
  const lines = code.split("\n").filter((l) => l.trim()).length;
  const depth = loopDepth(code, cpp);
  const defs = [...code.matchAll(/def\s+(\w+)\s*\(/g)].map((m) => m[1]!);
  const recursive = defs.some((name) => code.split(new RegExp(`\\b${name}\\s*\\(`)).length > 2);
  const values: Record<(typeof CANDIDATE_FEATURES)[number], number> = {
    bias: 1,
    "lang:cpp": cpp ? 1 : 0,
    lines: Math.min(lines, 40) / 20,
    loop_depth: depth / 2,
    nested_loops: depth >= 2 ? 1 : 0,
    sorts: /\bsort(ed)?\b|std::sort/.test(code) ? 1 : 0,
    hash_structures: /\b(dict|set|Counter|defaultdict)\b|\{\}|unordered_map/.test(code) ? 1 : 0,
    library_structures: /\b(bisect\w*|heapq|deque|accumulate|lower_bound|upper_bound|priority_queue|isqrt)\b/.test(code) ? 1 : 0,
    recursion: recursive ? 1 : 0,
    fast_input: /sys\.stdin|scanf|sync_with_stdio/.test(code) ? 1 : 0,
    max_min_calls: Math.min((code.match(/\b(max|min)\s*\(/g) ?? []).length, 4) / 4,
    big_allocation: /\*\s*\(?\s*\w+\s*\*\s*\w+|\[\[.*\]\s*\*|bytearray\(|\*\s*\(\s*\w+\s*\+\s*1\s*\)/.test(code) ? 1 : 0,
  };
  return Float32Array.from(CANDIDATE_FEATURES.map((name) => values[name]));
}

export function shapes(config: DemoConfig): Record<TensorName, number[]> {
  const p = config.problem_features.length;
  const c = config.candidate_features.length;
  const h = config.hidden;
  return { "encoder.weight": [h, p], "encoder.bias": [h], "scorer.weight": [c, h], "scorer.bias": [c] };
}

export interface Forward {
  hidden: Float32Array;
  direction: Float64Array;
  logits: Float64Array;
}

/** Logits of the candidates (rows of `candidates`) for one problem. */
export function forward(config: DemoConfig, params: Params, x: Float32Array, candidates: Float32Array[]): Forward {
  const P = config.problem_features.length;
  const C = config.candidate_features.length;
  const H = config.hidden;
  const hidden = new Float32Array(H);
  for (let i = 0; i < H; i++) {
    let s = params["encoder.bias"][i]!;
    for (let j = 0; j < P; j++) s += params["encoder.weight"][i * P + j]! * x[j]!;
    hidden[i] = Math.tanh(s);
  }
  const direction = new Float64Array(C);
  for (let k = 0; k < C; k++) {
    let s = params["scorer.bias"][k]!;
    for (let i = 0; i < H; i++) s += params["scorer.weight"][k * H + i]! * hidden[i]!;
    direction[k] = s;
  }
  const logits = Float64Array.from(candidates, (y) => y.reduce((s, v, k) => s + v * direction[k]!, 0));
  return { hidden, direction, logits };
}

/** Softmax at a temperature (temperature 0 → all mass on the argmax, ties to the first). */
export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  const values = Array.from(logits);
  if (temperature <= 0) {
    const best = values.indexOf(Math.max(...values));
    return values.map((_, i) => (i === best ? 1 : 0));
  }
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp((v - max) / temperature));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Nucleus filter: keeps the most likely candidates whose mass first reaches top_p, renormalised. */
export function topP(probs: number[], p: number): number[] {
  if (p >= 1) return probs;
  const order = probs.map((q, i) => [q, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const keep = new Set<number>();
  let mass = 0;
  for (const [q, i] of order) {
    keep.add(i);
    mass += q;
    if (mass >= p) break;
  }
  const total = [...keep].reduce((s, i) => s + probs[i]!, 0);
  return probs.map((q, i) => (keep.has(i) ? q / total : 0));
}

/** Index drawn from `probs` with the uniform number u in [0, 1). */
export function draw(probs: number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < probs.length; i++) {
    acc += probs[i]!;
    if (u < acc) return i;
  }
  for (let i = probs.length - 1; i >= 0; i--) if (probs[i]! > 0) return i;
  return 0;
}

/** mulberry32: a small deterministic PRNG. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
