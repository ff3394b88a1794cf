// vitest globalSetup of the edge project: a local HTTP receiver for outbound webhooks, in Node,
// reachable from workerd at its loopback URL (provided to tests as "webhookReceiver").
// POST /hook/<name>?fail=N answers 500 to the first N requests for <name>, then 200; every request
// is recorded (headers, body, the status answered) and read back with GET /log/<name>.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    webhookReceiver: string;
  }
}

type Received = { headers: Record<string, string>; body: string; answered: number };

export default async function setup(project: TestProject) {
  const log = new Map<string, Received[]>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const [, kind, name] = url.pathname.split("/");
      if (req.method === "GET" && kind === "log") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(log.get(name) ?? []));
        return;
      }
      if (req.method !== "POST" || kind !== "hook" || !name) {
        res.writeHead(404).end();
        return;
      }
      const seen = log.get(name) ?? [];
      log.set(name, seen);
      const answered = seen.length < Number(url.searchParams.get("fail") ?? 0) ? 500 : 200;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      seen.push({ headers, body: Buffer.concat(chunks).toString("utf8"), answered });
      res.writeHead(answered, { "content-type": "text/plain" }).end(answered === 200 ? "ok" : "receiver says no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("webhookReceiver", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
