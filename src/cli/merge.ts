// `frontier merge`: merge safetensors checkpoints offline with the backend's merge engine.
// Arguments are parsed by hand: node:util's parseArgs refuses option values that start with "-",
// and negative weights (extrapolation) are the point of this command.
import { OUTPUT_DTYPES } from "@frontier/contracts";
import { mergeCheckpoints, MergeError, SafetensorsError, type MergeParent, type OutputDtype } from "@frontier/gpu-backend";

export const HELP = `Usage:
  frontier merge --out DIR --model PATH --weight W [--model PATH --weight W ...]
  frontier merge --out DIR --alpha A FROM TO

Merges safetensors checkpoints: θ = Σ Wᵢ·θᵢ (weights must sum to 1), or with --alpha the
interpolation (1−A)·FROM + A·TO, where A < 0 or A > 1 extrapolates past the endpoints.
PATH, FROM, TO: a .safetensors file, a model.safetensors.index.json, or a folder holding either;
also file://, https://, hf://owner/repo[@revision] and s3://bucket/key (see HF_ENDPOINT, HF_TOKEN,
AWS_ACCESS_KEY_ID, S3_ENDPOINT, FETCH_ALLOW_HOSTS in workers/gpu-backend/README.md).

Options:
  --out DIR            output folder (created; must be empty)
  --model PATH         a parent checkpoint; pair each with a --weight, in order
  --weight W           the parent's coefficient (negative allowed: --weight -0.5)
  --alpha A FROM TO    shorthand for --model FROM --weight 1-A --model TO --weight A
  --dtype D            output dtype of float tensors: ${OUTPUT_DTYPES.join(", ")} (default: the parents')
  --shard-size BYTES   re-shard the output (default: shard like the first parent)
  --allow-non-affine   accept weights that do not sum to 1
  -h, --help           this help
`;

class UsageError extends Error {}

interface Parsed {
  out: string;
  parents: MergeParent[];
  dtype?: OutputDtype;
  shardSize?: number;
  allowNonAffine: boolean;
}

function parseNumber(flag: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`${flag} needs a value`);
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) throw new UsageError(`${flag} must be a number, got '${value}'`);
  return number;
}

export function parseMergeArgs(argv: string[]): Parsed {
  let out: string | undefined;
  const models: string[] = [];
  const weights: number[] = [];
  let alpha: number | undefined;
  let dtype: OutputDtype | undefined;
  let shardSize: number | undefined;
  let allowNonAffine = false;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--out":
        out = value();
        break;
      case "--model":
        models.push(value());
        break;
      case "--weight":
        weights.push(parseNumber("--weight", value()));
        break;
      case "--alpha":
        alpha = parseNumber("--alpha", value());
        break;
      case "--dtype": {
        const d = value().toUpperCase();
        if (!(OUTPUT_DTYPES as readonly string[]).includes(d)) throw new UsageError(`--dtype must be one of ${OUTPUT_DTYPES.join(", ")}, got '${d}'`);
        dtype = d as OutputDtype;
        break;
      }
      case "--shard-size": {
        const n = parseNumber("--shard-size", value());
        if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError("--shard-size must be a positive whole number of bytes");
        shardSize = n;
        break;
      }
      case "--allow-non-affine":
        allowNonAffine = true;
        break;
      default:
        if (arg.startsWith("--")) throw new UsageError(`unknown option ${flag}`);
        positionals.push(arg);
    }
  }
  if (!out) throw new UsageError("--out DIR is required");
  let parents: MergeParent[];
  if (alpha !== undefined) {
    if (models.length || weights.length) throw new UsageError("use either --alpha A FROM TO or --model/--weight pairs, not both");
    if (positionals.length !== 2) throw new UsageError(`--alpha needs exactly two checkpoints, FROM and TO (got ${positionals.length})`);
    parents = [
      { url: positionals[0], coefficient: 1 - alpha },
      { url: positionals[1], coefficient: alpha },
    ];
  } else {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (checkpoints go after --model, or use --alpha A FROM TO)`);
    if (models.length === 0) throw new UsageError("give the parents as --model PATH --weight W pairs, or use --alpha A FROM TO");
    if (models.length !== weights.length) throw new UsageError(`every --model needs a --weight (got ${models.length} models, ${weights.length} weights)`);
    parents = models.map((url, i) => ({ url, coefficient: weights[i] }));
  }
  return { out, parents, dtype, shardSize, allowNonAffine };
}

export async function run(argv: string[]): Promise<number> {
  // With --api the merge is requested from a running Frontier API instead (src/cli/api/merge.ts).
  if (argv.some((arg) => arg === "--api" || arg.startsWith("--api="))) return (await import("./api/merge.ts")).run(argv);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(`${HELP}\nThrough a running API: frontier merge --api [URL] --help`);
    return 0;
  }
  let parsed: Parsed;
  try {
    parsed = parseMergeArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`frontier merge: ${error.message}\nRun \`frontier merge --help\` for usage.`);
      return 2;
    }
    throw error;
  }
  try {
    const started = Date.now();
    const result = await mergeCheckpoints({
      parents: parsed.parents,
      outDir: parsed.out,
      outDtype: parsed.dtype,
      shardSize: parsed.shardSize,
      allowNonAffine: parsed.allowNonAffine,
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `merged ${result.tensors} tensors from ${parsed.parents.length} parents (${parsed.parents.map((p) => p.coefficient).join(", ")}) into ${parsed.out} in ${seconds.toFixed(1)} s`,
    );
    for (const file of result.files) console.log(`  ${file.sha256}  ${String(file.bytes).padStart(12)}  ${file.name}`);
    return 0;
  } catch (error) {
    if (error instanceof MergeError || error instanceof SafetensorsError) {
      console.error(`frontier merge: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
