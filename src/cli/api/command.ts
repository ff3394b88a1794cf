// What every API command shares: option parsing (with --api, --json, --help), the client built from
// --api / FRONTIER_API_URL and FRONTIER_API_KEY, and one mapping from failures to exit codes.
import { parseArgs } from "node:util";
import { ApiClient, ApiError, DEFAULT_API_URL, EXIT, UnreachableError } from "./client.ts";

export class UsageError extends Error {}

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };
export type Options = Record<string, OptionSpec>;

export const COMMON_OPTIONS = {
  api: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

export const COMMON_HELP = `Common options:
  --api URL       the Frontier API (default $FRONTIER_API_URL or ${DEFAULT_API_URL})
  --json          print JSON for scripts instead of tables
  -h, --help      this text
The API key comes from $FRONTIER_API_KEY: it decides what you see (its team's private runs,
checkpoints and evaluations; without one, only public tracks, leaderboards and queues) and may write.
Exit codes: 0 ok, 1 the API refused or failed (or bad input), 2 bad usage, 3 the API is not reachable.`;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * node:util parseArgs refuses option values that start with "-" (negative α), so a string option
 * and its value are joined into `--name=value` first. A bare `--api` (followed by nothing, another
 * option, or something that is not a URL) means the default URL.
 */
export function parseOptions(argv: string[], options: Options): Parsed {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (name === "api") {
      const next = argv[i + 1];
      if (next !== undefined && /^https?:\/\//i.test(next)) {
        joined.push(`--api=${next}`);
        i++;
      } else joined.push(`--api=`);
      continue;
    }
    if (name && options[name]?.type === "string" && i + 1 < argv.length) {
      joined.push(`--${name}=${argv[++i]}`);
      continue;
    }
    joined.push(arg);
  }
  try {
    const { values, positionals } = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
    return { values: values as Parsed["values"], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

export interface Context {
  client: ApiClient;
  json: boolean;
  values: Parsed["values"];
  positionals: string[];
  /** stdout, for results. */
  print(text: string): void;
  /** stderr, for progress and notes. */
  note(text: string): void;
}

export interface CommandSpec {
  name: string;
  help: string;
  options: Options;
  run(ctx: Context): Promise<number>;
}

export interface Io {
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export function apiUrl(value: unknown, env: Record<string, string | undefined>): string {
  const url = typeof value === "string" && value !== "" ? value : env.FRONTIER_API_URL || DEFAULT_API_URL;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--api must be a URL such as ${DEFAULT_API_URL} (got '${url}')`);
  }
  return url;
}

export async function runCommand(spec: CommandSpec, argv: string[], io: Io = {}): Promise<number> {
  const env = io.env ?? process.env;
  const print = io.stdout ?? ((text: string) => console.log(text));
  const note = io.stderr ?? ((text: string) => console.error(text));
  const fail = (message: string, code: number) => {
    note(`frontier ${spec.name}: ${message}`);
    return code;
  };
  try {
    const { values, positionals } = parseOptions(argv, { ...COMMON_OPTIONS, ...spec.options });
    if (values.help) {
      print(`${spec.help}\n\n${COMMON_HELP}`);
      return EXIT.ok;
    }
    const client = new ApiClient(apiUrl(values.api, env), env.FRONTIER_API_KEY || undefined, io.fetch);
    return await spec.run({ client, json: values.json === true, values, positionals, print, note });
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\nRun 'frontier ${spec.name} --help' for usage.`, EXIT.usage);
    if (error instanceof UnreachableError)
      return fail(`${error.message}. Is it running? (\`npm start\` serves one at http://127.0.0.1:8787)`, EXIT.unreachable);
    if (error instanceof ApiError) {
      const lines = error.describe();
      if ((error.status === 401 || error.status === 404) && !env.FRONTIER_API_KEY)
        lines.push("  (set FRONTIER_API_KEY to an API key; `npm start` prints one; reads of a team's data need its key)");
      return fail(lines.join("\n"), EXIT.api);
    }
    if (error instanceof InputError) return fail(error.message, EXIT.api);
    throw error;
  }
}

/** Bad input that is not a usage mistake (an unreadable file, a failed evaluation): exit 1. */
export class InputError extends Error {}

// ---- small value parsers shared by the commands ----

export function stringOption(values: Parsed["values"], name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function intOption(values: Parsed["values"], name: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number in ${min}..${max} (got '${text}')`);
  return n;
}

export function numberOption(values: Parsed["values"], name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got '${text}')`);
  return n;
}

export function numberList(text: string, name: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const numbers = parts.map(Number);
  const bad = parts.filter((p, i) => p === "" || !Number.isFinite(numbers[i]));
  if (bad.length) throw new UsageError(`--${name} must be a comma-separated list of numbers (got '${text}')`);
  return numbers;
}

export function requireOption(values: Parsed["values"], name: string, hint = ""): string {
  const value = stringOption(values, name);
  if (value === undefined || value === "") throw new UsageError(`--${name} is required${hint ? ` (${hint})` : ""}`);
  return value;
}

/** Prints `data` as JSON or, for people, as what `render` returns. */
export function output(ctx: Context, data: unknown, render: () => string): void {
  ctx.print(ctx.json ? JSON.stringify(data, null, 2) : render());
}
