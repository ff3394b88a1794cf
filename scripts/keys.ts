// API keys from the command line: `npm run keys -- create --scope submit` prints a new key once.
// The row goes in through `wrangler d1 execute` — the local D1 that `wrangler dev` / `npm start`
// use (.wrangler/state), or the deployed database with --remote. Only the key's SHA-256 is stored.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { apiKeyInsertSql, newApiKey } from "../src/db/api-keys.ts";
import { API_SCOPES, type ApiScope, DEFAULT_TEAM } from "../src/db/schema/index.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATABASE = "frontier";

const USAGE = `Usage: npm run keys -- <command> [options]

Commands:
  create --scope read|submit|admin|operator [--scope …] [--team T] [--label TEXT]
                       create a key of team T (default: default; created if new); prints it once
  list                                                     list keys (never the keys themselves)
  revoke KEY_ID                                            revoke a key

Where (default: the local D1 of \`wrangler dev\` / \`npm start\`):
  --remote             the deployed D1 database (needs wrangler login or CLOUDFLARE_API_TOKEN)
  --env NAME           a wrangler environment, e.g. production
  --persist-to DIR     the local state directory, if wrangler dev runs with --persist-to
  --sql                print the SQL instead of running it (for other runtimes)`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scope: { type: "string", multiple: true },
      label: { type: "string" },
      team: { type: "string" },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      "persist-to": { type: "string" },
      sql: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const where = {
    remote: values.remote,
    env: values.env,
    persistTo: values["persist-to"],
  };

  if (command === "create") {
    const scopes = values.scope ?? [];
    const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length > 0) {
      console.error(`keys: --scope must be one of ${API_SCOPES.join(", ")}${unknown.length ? ` (got ${unknown.join(", ")})` : ""}`);
      return 2;
    }
    const team = values.team ?? DEFAULT_TEAM;
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(team)) {
      console.error("keys: --team must be lower-case letters, digits and -");
      return 2;
    }
    const { key, row } = await newApiKey(scopes as ApiScope[], values.label ?? null, new Date(), team);
    // The team is created if it is new, so `--team acme` works on a fresh deployment.
    const sql = `INSERT OR IGNORE INTO teams (id, name, created_at) VALUES ('${team}', '${team}', '${row.createdAt}');\n${apiKeyInsertSql(row)}`;
    if (values.sql) {
      console.error(`-- key ${row.id} (${row.scopes.join(", ")}): ${key}`);
      console.log(sql);
      return 0;
    }
    if (!where.remote && !migrate(where)) return 1;
    if (!execute(sql, where)) return 1;
    console.error(`Created API key ${row.id} of team ${row.teamId} with scope ${row.scopes.join(", ")}. It is shown once; store it now:`);
    console.log(key);
    return 0;
  }
  if (command === "list") {
    const sql = "SELECT id, prefix, scopes, label, created_at, revoked_at FROM api_keys ORDER BY id;";
    if (values.sql) {
      console.log(sql);
      return 0;
    }
    return execute(sql, where, "inherit") ? 0 : 1;
  }
  if (command === "revoke") {
    const id = rest[0];
    if (!id || !/^key_[0-9a-z]{26}$/.test(id)) {
      console.error("keys: revoke needs a key id (key_…, from `npm run keys -- list`)");
      return 2;
    }
    const sql = `UPDATE api_keys SET revoked_at = '${new Date().toISOString()}' WHERE id = '${id}' AND revoked_at IS NULL;`;
    if (values.sql) {
      console.log(sql);
      return 0;
    }
    if (!execute(sql, where)) return 1;
    console.error(`Revoked ${id} (if it existed and was live).`);
    return 0;
  }
  console.error(`keys: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

type Where = { remote: boolean; env?: string; persistTo?: string };

function wranglerArgs(where: Where): string[] {
  return [
    where.remote ? "--remote" : "--local",
    ...(where.env ? ["--env", where.env] : []),
    ...(where.persistTo && !where.remote ? ["--persist-to", where.persistTo] : []),
  ];
}

/** Local databases are created on first use: apply the migrations so the table exists. */
function migrate(where: Where): boolean {
  return wrangler(["d1", "migrations", "apply", DATABASE, ...wranglerArgs(where)], "pipe");
}

function execute(sql: string, where: Where, stdio: "pipe" | "inherit" = "pipe"): boolean {
  return wrangler(["d1", "execute", DATABASE, ...wranglerArgs(where), "--command", sql, ...(stdio === "pipe" ? ["--json"] : [])], stdio);
}

function wrangler(args: string[], stdio: "pipe" | "inherit"): boolean {
  const local = join(ROOT, "node_modules", ".bin", "wrangler");
  const bin = existsSync(local) ? local : "wrangler";
  const result = spawnSync(bin, args, { cwd: ROOT, stdio: ["ignore", stdio, stdio], encoding: "utf8", env: { ...process.env, CI: "1" } });
  if (result.status !== 0) {
    console.error(`keys: wrangler ${args.slice(0, 3).join(" ")} failed`);
    if (stdio === "pipe") console.error(`${result.stdout ?? ""}${result.stderr ?? ""}`.trim());
    return false;
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("scripts/keys.ts")) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
