// Installs what `npm start` and `npm test` need when it is missing, so both work on a fresh clone:
// the npm dependencies (when absent or older than package-lock.json) and, as root on Debian,
// the system tools the executor sandbox and the browser test use.
import { existsSync, statSync } from "node:fs";
import { execSync, spawnSync } from "node:child_process";

const want = new Set(process.argv.slice(2)); // e.g. "--browser" to also need chromium

function has(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || (existsSync("package-lock.json") && statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  console.error("frontier: installing npm dependencies (first run)…");
  execSync(existsSync("package-lock.json") ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund", {
    stdio: "inherit",
  });
}

const system = [["bwrap", "bubblewrap"]];
if (want.has("--browser")) system.push(["chromium", "chromium"]);
const missing = system.filter(([command]) => !has(command)).map(([, pkg]) => pkg);
if (missing.length > 0) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && has("apt-get")) {
    console.error(`frontier: installing system packages: ${missing.join(", ")}…`);
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")}`, {
      stdio: "inherit",
    });
  } else {
    console.error(
      `frontier: missing system packages: ${missing.join(", ")}.\n` +
        `  Install them (Debian/Ubuntu: sudo apt-get install ${missing.join(" ")}) and run the command again.`,
    );
    process.exit(1);
  }
}
