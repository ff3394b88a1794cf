#!/usr/bin/env node
// The `frontier` command. The sources are TypeScript; tsx loads them on Node 20 without a build step.
import { register } from "tsx/esm/api";

register();
// `frontier serve` starts the local stack (scripts/serve.ts); every other command is in src/cli.
const { main } = await import(process.argv[2] === "serve" ? "../scripts/serve.ts" : "../src/cli/index.ts");
process.exitCode = await main(process.argv.slice(process.argv[2] === "serve" ? 3 : 2));
