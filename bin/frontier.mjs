#!/usr/bin/env node
// The `frontier` command. The sources are TypeScript; tsx loads them on Node 20 without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/index.ts");
process.exitCode = await main(process.argv.slice(2));
