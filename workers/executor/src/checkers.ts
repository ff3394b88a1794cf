// Output checkers. Pure functions: (expected, actual) → null when they match, else a short reason.

export type CheckResult = null | string;

const DEFAULT_FUNCTIONAL_EPS = 1e-6;

export function checkerEps(checker: string): number | null {
  const match = /^float:(.+)$/i.exec(checker);
  return match ? Number(match[1]) : null;
}

export function checkOutput(checker: string, expected: string, actual: string): CheckResult {
  if (checker === "exact") return checkExact(expected, actual);
  const eps = checkerEps(checker);
  return checkTokens(expected, actual, eps);
}

function normaliseExact(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(/\s+$/, "");
}

export function checkExact(expected: string, actual: string): CheckResult {
  const a = normaliseExact(expected);
  const b = normaliseExact(actual);
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split("\n").length;
  return `line ${line}: expected ${preview(a.slice(i))}, got ${preview(b.slice(i))}`;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function tokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

export function checkTokens(expected: string, actual: string, eps: number | null = null): CheckResult {
  const want = tokens(expected);
  const got = tokens(actual);
  const n = Math.min(want.length, got.length);
  for (let i = 0; i < n; i++) {
    if (want[i] === got[i]) continue;
    if (eps !== null && NUMBER.test(want[i]) && NUMBER.test(got[i]) && closeEnough(Number(want[i]), Number(got[i]), eps)) continue;
    return `token ${i + 1}: expected ${preview(want[i])}, got ${preview(got[i])}`;
  }
  if (want.length !== got.length) return `expected ${want.length} tokens, got ${got.length}`;
  return null;
}

function closeEnough(expected: number, actual: number, eps: number): boolean {
  const diff = Math.abs(expected - actual);
  return diff <= eps || diff <= eps * Math.abs(expected);
}

/**
 * Functional outputs: JSON deep equality; numbers within EPS (default 1e-6); booleans are not
 * numbers; tuples arrive as lists already. An expected output that is not JSON is compared as text.
 */
export function checkFunctional(checker: string, expected: string, actual: string): CheckResult {
  const eps = checkerEps(checker) ?? DEFAULT_FUNCTIONAL_EPS;
  let want: unknown;
  try {
    want = JSON.parse(expected);
  } catch {
    return checkTokens(expected, actual, eps);
  }
  let got: unknown;
  try {
    got = JSON.parse(actual);
  } catch {
    return `return value is not JSON: ${preview(actual)}`;
  }
  return jsonEqual(want, got, eps, "$") ? null : `expected ${preview(JSON.stringify(want))}, got ${preview(JSON.stringify(got))}`;
}

function jsonEqual(a: unknown, b: unknown, eps: number, path: string): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || closeEnough(a, b, eps);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i], eps, `${path}[${i}]`));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a as object);
    if (keys.length !== Object.keys(b as object).length) return false;
    return keys.every(
      (k) => Object.hasOwn(b as object, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], eps, `${path}.${k}`),
    );
  }
  return a === b;
}

function preview(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
