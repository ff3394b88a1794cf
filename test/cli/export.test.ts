// `frontier export` against a fetch double answering as GET /v1/evaluations/{id}/export does: the
// path requested, the JSONL to stdout or to the -o file byte for byte, a 404 problem's exit code.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/api/command.ts";
import { exportCommand } from "../../src/cli/export.ts";

const jsonl = `${JSON.stringify({ type: "header", evaluation: "eval_1" })}\n${JSON.stringify({ type: "sample", problem: "p1", index: 0, verdict: "AC" })}\n`;

async function invoke(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const urls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    urls.push(String(input));
    if (String(input).includes("eval_missing"))
      return new Response(JSON.stringify({ type: "not-found", title: "Evaluation not found", status: 404, detail: "no evaluation eval_missing" }), {
        status: 404,
        headers: { "content-type": "application/problem+json" },
      });
    return new Response(jsonl, { status: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8" } });
  }) as typeof fetch;
  const code = await runCommand(exportCommand, argv, {
    env: { FRONTIER_API_URL: "http://api.test" },
    fetch: fetchImpl,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n"), urls };
}

describe("frontier export", () => {
  it("prints the export to stdout", async () => {
    const { code, stdout, urls } = await invoke(["eval_1"]);
    expect(code).toBe(0);
    expect(urls).toEqual(["http://api.test/v1/evaluations/eval_1/export"]);
    expect(`${stdout}\n`).toBe(jsonl);
  });

  it("writes it to -o FILE byte for byte", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "frontier-export-")), "out.jsonl");
    const { code, stdout } = await invoke(["eval_1", "-o", file]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(jsonl);
  });

  it("reports a missing evaluation and a missing argument", async () => {
    const missing = await invoke(["eval_missing"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("no evaluation eval_missing");
    expect((await invoke([])).code).toBe(2);
  });
});
