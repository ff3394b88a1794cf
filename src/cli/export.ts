// `frontier export EVALUATION [-o FILE]`: an evaluation as JSONL (GET /v1/evaluations/{id}/export):
// a header line with the protocol and versions, then every sample with its verdict.
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { EXIT } from "./api/client.ts";
import { InputError, runCommand, stringOption, UsageError, type CommandSpec } from "./api/command.ts";

const HELP = `Usage: frontier export EVALUATION [-o FILE]

Writes the evaluation as JSON Lines: first {"type":"header", …} with the full protocol (benchmark
version, setting, language, n, temperature, top_p, max_tokens, seed, problems) and the versions
(benchmark, executor, export format), then one {"type":"sample", …} line per sample with its
completion, extracted code and verdict. To stdout unless -o/--output names a file.`;

const spec: CommandSpec = {
  name: "export",
  help: HELP,
  options: { output: { type: "string", short: "o" } },
  async run(ctx) {
    const [evaluation, ...rest] = ctx.positionals;
    if (!evaluation) throw new UsageError("name the evaluation to export");
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const response = await ctx.client.download(`/v1/evaluations/${encodeURIComponent(evaluation)}/export`);
    const file = stringOption(ctx.values, "output");
    if (file) {
      try {
        await pipeline(Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>), createWriteStream(file));
      } catch (error) {
        throw new InputError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      ctx.note(`wrote ${file}`);
    } else {
      ctx.print((await response.text()).replace(/\n$/, ""));
    }
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as exportCommand };
