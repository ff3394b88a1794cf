// The house's boundaries, checked in CI by `npm run lint` (dependency-cruiser).
// Services meet only through @frontier/contracts and HTTP; src/domain does no I/O; product
// code never imports tests; no import cycles.
const PRODUCT = "^(src|packages|workers|scripts|packs|web|bin)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Import cycles make the layering unreadable and the bundles order-dependent.",
      from: { path: PRODUCT },
      to: { circular: true },
    },
    {
      name: "product-never-imports-tests",
      severity: "error",
      comment: "Test helpers live in test/; product code (scripts included) must run without them.",
      from: { path: PRODUCT },
      to: { path: "^test/" },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "src/domain is pure logic: no Node or runtime modules, no database, no HTTP, no other layer.",
      from: { path: "^src/domain/" },
      to: {
        pathNot: ["^src/domain/", "^packages/contracts/", "^node_modules/zod/"],
      },
    },
    {
      name: "contracts-depend-on-zod-only",
      severity: "error",
      comment: "The contracts package is imported by every service, the CLI and the page.",
      from: { path: "^packages/contracts/" },
      to: { pathNot: ["^packages/contracts/", "^node_modules/zod/"] },
    },
    {
      name: "url-policy-is-pure",
      severity: "error",
      comment: "The URL policy is shared by the edge (workerd, Deno) and the backend (Node): no I/O, no dependencies.",
      from: { path: "^packages/url-policy/" },
      to: { pathNot: "^packages/url-policy/" },
    },
    {
      name: "edge-does-not-reach-into-services",
      severity: "error",
      comment: "The edge talks to the executor and the backend over HTTP, with @frontier/contracts.",
      from: { path: "^(src|web)/", pathNot: "^src/cli/" },
      to: { path: "^workers/" },
    },
    {
      name: "cli-uses-service-libraries-by-their-entry",
      severity: "error",
      comment: "`frontier judge` and `frontier merge` run the executor and the merge engine in-process, through each workspace's public entry only.",
      from: { path: "^src/cli/" },
      to: { path: "^workers/", pathNot: "^workers/(executor|gpu-backend)/src/index\\.ts$" },
    },
    {
      name: "executor-is-self-contained",
      severity: "error",
      from: { path: "^workers/executor/" },
      to: { path: "^(src|workers/gpu-backend|packs|scripts|web)/" },
    },
    {
      name: "backend-is-self-contained",
      severity: "error",
      from: { path: "^workers/gpu-backend/" },
      to: { path: "^(src|workers/executor|scripts|web)/" },
    },
    {
      name: "page-client-reads-contracts-only",
      severity: "error",
      comment: "The browser bundle must not pull in server code.",
      from: { path: "^web/client/" },
      to: { path: "^(src|packages/http|workers|scripts)/" },
    },
    {
      name: "edge-product-not-scripts-or-bench",
      severity: "error",
      from: { path: "^(src|packages)/" },
      to: { path: "^(scripts|bench)/" },
    },
    {
      name: "queue-consumers-not-runtime",
      severity: "error",
      comment: "Consumers are plain functions each runtime entry calls; they never import a runtime.",
      from: { path: "^src/(queue|services|routes|http|db|domain)/" },
      to: { path: "^src/runtime/" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: { path: PRODUCT },
      to: { couldNotResolve: true, pathNot: ["^(cloudflare:|npm:|jsr:)", "^node:sqlite$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.wrangler|dist|web/public/assets)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
