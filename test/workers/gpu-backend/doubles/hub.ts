// A Hugging Face Hub double on loopback: the revision API (`/api/models/<repo>/revision/<rev>` →
// commit sha and files with LFS sha256) and `/<repo>/resolve/<sha>/<file>`, which redirects weights
// to a second host (the CDN) that serves them with Range support. Repos are folders of files.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubDouble {
  url: string;
  /** "owner/name" → { sha, files: name → bytes }. */
  repos: Map<string, { sha: string; files: Map<string, Buffer> }>;
  requests: { host: "hub" | "cdn"; path: string; authorization?: string }[];
  close(): Promise<void>;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function listen(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
}

export async function startHubDouble(token?: string): Promise<HubDouble> {
  const repos: HubDouble["repos"] = new Map();
  const requests: HubDouble["requests"] = [];
  const blobs = () => new Map([...repos.values()].flatMap((r) => [...r.files.values()].map((b) => [sha256(b), b] as const)));
  const cdn = createServer((req, res) => {
    requests.push({ host: "cdn", path: req.url!, authorization: req.headers.authorization });
    const blob = blobs().get(req.url!.replace(/^\/blobs\//, ""));
    if (!blob) return res.writeHead(404).end();
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : blob.length - 1;
      res.writeHead(206, { "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${blob.length}`, "accept-ranges": "bytes" });
      return res.end(req.method === "HEAD" ? undefined : blob.subarray(start, end + 1));
    }
    res.writeHead(200, { "content-length": blob.length, "accept-ranges": "bytes" });
    res.end(req.method === "HEAD" ? undefined : blob);
  });
  const cdnPort = await listen(cdn);
  const hub = createServer((req, res) => {
    requests.push({ host: "hub", path: req.url!, authorization: req.headers.authorization });
    if (token && req.headers.authorization !== `Bearer ${token}`) return res.writeHead(401).end();
    const url = new URL(req.url!, "http://x");
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) {
      const repo = repos.get(api[1]!);
      if (!repo || (api[2] !== "main" && api[2] !== repo.sha)) return res.writeHead(404).end();
      const siblings = [...repo.files].map(([name, b]) =>
        name.endsWith(".safetensors") ? { rfilename: name, size: b.length, lfs: { sha256: sha256(b), size: b.length } } : { rfilename: name, size: b.length },
      );
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ id: api[1], sha: repo.sha, siblings }));
    }
    const file = /^\/([^/]+\/[^/]+)\/resolve\/([0-9a-f]{40})\/(.+)$/.exec(url.pathname);
    const repo = file && repos.get(file[1]!);
    const bytes = file && repo?.sha === file[2] ? repo.files.get(decodeURIComponent(file[3]!)) : undefined;
    if (!file || !bytes) return res.writeHead(404).end();
    if (file[3]!.endsWith(".safetensors")) return res.writeHead(302, { location: `http://127.0.0.1:${cdnPort}/blobs/${sha256(bytes)}` }).end();
    res.writeHead(200, { "content-length": bytes.length, "x-repo-commit": repo!.sha });
    res.end(req.method === "HEAD" ? undefined : bytes);
  });
  const hubPort = await listen(hub);
  return {
    url: `http://127.0.0.1:${hubPort}`,
    repos,
    requests,
    close: async () => {
      await new Promise<void>((done) => hub.close(() => done()));
      await new Promise<void>((done) => cdn.close(() => done()));
    },
  };
}
