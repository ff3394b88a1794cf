// The `frontier` command: one dispatcher, each subcommand in a module of its own, loaded on demand.
type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  judge: { summary: "judge a program against a problem JSON (offline)", load: () => import("./judge.ts") },
  merge: { summary: "merge safetensors checkpoints, or request a merge grid from an API (--api)", load: () => import("./merge.ts") },
  passk: { summary: "unbiased pass@k from per-problem counts (JSONL)", load: () => import("./passk.ts") },
  ensemble: { summary: "ensemble pass@k at a fixed sample budget (from counts, or over evaluations with --api)", load: () => import("./ensemble.ts") },
  benchmark: { summary: "register a problem pack's benchmark with a Frontier API", load: () => import("./benchmark.ts") },
  import: { summary: "import livecodebench | humaneval | codecontests into a problem pack", load: () => import("./import.ts") },
  // Commands against a running API (--api URL, key from FRONTIER_API_KEY); docs/cli.md.
  checkpoints: { summary: "register and list checkpoints (add | list | show)", load: () => import("./checkpoints.ts") },
  evaluate: { summary: "evaluate checkpoints on a benchmark; --watch for live progress", load: () => import("./evaluate.ts") },
  leaderboard: { summary: "the leaderboard: checkpoints and ensembles ranked by pass@k", load: () => import("./leaderboard.ts") },
  frontier: { summary: "the correctness–efficiency frontier of a run", load: () => import("./frontier.ts") },
  runs: { summary: "continuous evaluation: a training run's checkpoints evaluated on tracks (runs policy RUN --track T)", load: () => import("./runs.ts") },
  tracks: { summary: "the tracks the leaderboard ranks on (benchmark, fixed protocol, problem set)", load: () => import("./tracks.ts") },
  publish: { summary: "publish your team's evaluation on a track (its row goes public); --withdraw takes it off", load: () => import("./publish.ts") },
  submit: { summary: "submit a checkpoint URL for evaluation on a track; --watch follows the queue", load: () => import("./submit.ts") },
  admin: { summary: "operator view: pending work, dead letters, service health (status); replay dead letters (replay-dlq)", load: () => import("./admin.ts") },
  gc: { summary: "delete the stored outputs of merges nothing references (dry run unless --apply)", load: () => import("./gc.ts") },
  export: { summary: "an evaluation as JSONL: protocol and versions, then samples with verdicts (-o FILE)", load: () => import("./export.ts") },
  compare: { summary: "paired comparison of two evaluations: difference in pass@k with a bootstrap interval", load: () => import("./compare.ts") },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  // bin/frontier.mjs runs `serve` (scripts/serve.ts) itself.
  lines.unshift(`  ${"serve".padEnd(width)}  start the local stack (API, executor, GPU backend) for your own checkpoints`);
  return ["Usage: frontier <command> [options]", "", "Commands:", ...lines, "", "Run `frontier <command> --help` for a command's options."].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`frontier: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}
