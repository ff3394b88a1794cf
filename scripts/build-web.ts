// Bundles the leaderboard page's client (web/client, with Observable Plot) and styles into
// web/public/assets: the Worker's static assets ([assets] in wrangler.toml), so the page loads
// nothing from a CDN. Run by `npm run build:web` (tsx), and by the browser test before it starts.
import { build, type BuildOptions } from "esbuild";
import { mkdir, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const ASSETS_DIR = `${root}web/public/assets`;

export async function buildWeb({ quiet = false }: { quiet?: boolean } = {}): Promise<Record<string, number>> {
  await mkdir(ASSETS_DIR, { recursive: true });
  const common: BuildOptions = { bundle: true, minify: true, legalComments: "external", logLevel: quiet ? "warning" : "info", absWorkingDir: root };
  await build({
    ...common,
    entryPoints: { leaderboard: "web/client/main.ts" },
    outdir: ASSETS_DIR,
    format: "esm",
    target: ["es2022"],
    platform: "browser",
  });
  await build({ ...common, entryPoints: { leaderboard: "web/styles.css" }, outdir: ASSETS_DIR });
  const sizes: Record<string, number> = {};
  for (const name of ["leaderboard.js", "leaderboard.css"]) sizes[name] = (await stat(`${ASSETS_DIR}/${name}`)).size;
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await buildWeb();
  console.log(
    Object.entries(sizes)
      .map(([name, bytes]) => `${name}: ${(bytes / 1024).toFixed(1)} KiB`)
      .join(", "),
  );
}
