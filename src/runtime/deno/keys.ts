// `deno task keys`: API keys in the Deno runtime's SQLite database (DATABASE_PATH), through the same
// code the API's POST /v1/keys uses. The first admin key of a Deno deployment comes from here.
//
//   deno task keys create --scope admin [--scope submit] [--label NAME] [--count N] [--json]
//   deno task keys create --no-scope …   (a key that authenticates but may not write)
//   deno task keys revoke <key id>
import { parseArgs } from "node:util";
import { apiKeyJson, insertApiKey, newApiKey, revokeApiKey } from "../../db/api-keys.ts";
import { API_SCOPES, type ApiScope, DEFAULT_TEAM } from "../../db/schema/index.ts";
import { createTeam } from "../../services/teams.ts";
import { openDatabase } from "./database.ts";

const USAGE = `Usage: deno task keys create (--scope <${API_SCOPES.join("|")}> [--scope …] | --no-scope) [--label NAME] [--count N] [--json]
       deno task keys revoke <key id>
The database is DATABASE_PATH (default frontier.sqlite); it is created and migrated if needed.`;

export async function run(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scope: { type: "string", multiple: true },
        team: { type: "string" },
        "no-scope": { type: "boolean", default: false },
        label: { type: "string" },
        count: { type: "string", default: "1" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`keys: ${error instanceof Error ? error.message : error}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }

  if (command === "create") {
    const scopes = values.scope ?? [];
    const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
    const count = Number(values.count);
    const problem =
      unknown.length > 0
        ? `unknown scope ${unknown.join(", ")}`
        : scopes.length === 0 && !values["no-scope"]
          ? "give at least one --scope (or --no-scope)"
          : scopes.length > 0 && values["no-scope"]
            ? "--no-scope and --scope exclude each other"
            : !Number.isInteger(count) || count < 1 || count > 1000
              ? "--count must be 1..1000"
              : undefined;
    if (problem) {
      console.error(`keys: ${problem}\n${USAGE}`);
      return 2;
    }
    const database = await openDatabase(databasePath(env));
    try {
      const created = [];
      for (let i = 0; i < count; i++) {
        const { key, row } = await newApiKey(scopes as ApiScope[], values.label ?? null, new Date(), values.team ?? DEFAULT_TEAM);
        await createTeam(database.db, { id: row.teamId }, new Date());
        await insertApiKey(database.db, row);
        created.push({ ...apiKeyJson(row), key });
      }
      if (values.json) console.log(JSON.stringify(created));
      else for (const key of created) console.log(`${key.key}\t${key.id}\t${key.scopes.join(",")}`);
      return 0;
    } finally {
      database.close();
    }
  }

  if (command === "revoke" && rest.length === 1) {
    const database = await openDatabase(databasePath(env));
    try {
      if (await revokeApiKey(database.db, rest[0], new Date())) return 0;
      console.error(`keys: no live key ${rest[0]}`);
      return 1;
    } finally {
      database.close();
    }
  }

  console.error(USAGE);
  return 2;
}

function databasePath(env: Record<string, string | undefined>): string {
  return env.DATABASE_PATH || "frontier.sqlite";
}

if (import.meta.main) Deno.exit(await run(Deno.args, Deno.env.toObject()));
