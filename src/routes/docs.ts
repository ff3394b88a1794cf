// GET /openapi.json (OpenAPI 3.1, generated from the route schemas) and GET /docs, an HTML
// reference rendered on the server from that same document. It is self-contained (no CDN script,
// no external fonts) so it works offline, under a strict CSP, and from a local `npm start`.
import { createRoute } from "@hono/zod-openapi";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { App } from "../http/env.ts";
import { PROBLEM_TYPES, problemTypeUri } from "@frontier/http";
import type { Ports } from "../ports.ts";

type Doc = ReturnType<App["getOpenAPI31Document"]>;

const INFO = {
  title: "Frontier API",
  version: "0.1.0",
  description:
    "Evaluates code-RL checkpoints: register checkpoints (by API or training-run webhook), merge them, sample, judge, " +
    "and read pass@k and the correctness–efficiency frontier. Errors are RFC 9457 application/problem+json.",
};

export function mountDocs(app: App, _ports: Ports) {
  let cached: Doc | undefined;
  const document = () => (cached ??= app.getOpenAPI31Document({ openapi: "3.1.0", info: INFO }));

  app.get("/openapi.json", (c) => c.json(document()));
  app.get("/docs", (c) => {
    c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(renderDocs(document()));
  });
  // Listed in the document itself so clients can discover it.
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/openapi.json",
      tags: ["service"],
      summary: "This OpenAPI 3.1 document",
      responses: { 200: { description: "OpenAPI document" } },
    }),
  );
}

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: { type?: string } }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { description?: string }>;
};

function renderDocs(doc: Doc): HtmlEscapedString | Promise<HtmlEscapedString> {
  const paths = Object.entries(doc.paths ?? {}) as [string, Record<string, Operation>][];
  const operations = paths.flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, unknown>);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${INFO.title}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.75rem;overflow:auto;border-radius:4px}
.op{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c00}table{border-collapse:collapse}td,th{padding:.15rem .6rem;text-align:left;vertical-align:top}
</style>
</head>
<body>
<h1>${INFO.title} <small>${INFO.version}</small></h1>
<p>${INFO.description}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Writes need <code>Authorization: Bearer &lt;key&gt;</code>.</p>
<h2>Operations</h2>
${operations.map(
  ({ path, method, op }) => html`<div class="op" id="${method}-${path}">
<div><span class="m ${method}">${method}</span> <code>${path}</code> — ${op.summary ?? ""}${op.security?.length ? html` <em>(API key)</em>` : ""}</div>
${op.description ? html`<p>${op.description}</p>` : ""}
${
  op.parameters?.length
    ? html`<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>${op.parameters.map(
        (p) =>
          html`<tr><td><code>${p.name}</code>${p.required ? " *" : ""}</td><td>${p.in}</td><td>${p.schema?.type ?? ""}</td><td>${p.description ?? ""}</td></tr>`,
      )}</table>`
    : ""
}
${bodyRef(op) ? html`<div>Body: <a href="#schema-${bodyRef(op)}">${bodyRef(op)}</a></div>` : ""}
<div>Responses: ${Object.entries(op.responses ?? {}).map(([status, r]) => html`<code title="${r.description ?? ""}">${status}</code> `)}</div>
</div>`,
)}
<h2>Problem types</h2>
<table>${Object.entries(PROBLEM_TYPES).map(([type, text]) => html`<tr><td><code>${problemTypeUri(type as keyof typeof PROBLEM_TYPES)}</code></td><td>${text}</td></tr>`)}</table>
<h2>Schemas</h2>
${schemas.map(([name, schema]) => html`<h3 id="schema-${name}">${name}</h3><pre>${raw(escapeHtml(JSON.stringify(schema, null, 2)))}</pre>`)}
</body>
</html>`;
}

function bodyRef(op: Operation): string | undefined {
  const ref = op.requestBody?.content?.["application/json"]?.schema?.$ref;
  return ref?.split("/").at(-1);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
