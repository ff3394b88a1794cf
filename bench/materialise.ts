// Bench for the checkpoint cache (issue 15): materialising a 1 GiB sharded checkpoint (4 × 256 MiB
// safetensors shards + index) from a local HTTPS double, with and without Range support, beside
// `curl` fetching the same files from the same server, in one run. The server runs in its own child
// process (as a remote host would), TLS with a throwaway self-signed certificate for `ckpt.bench`
// (resolved to 127.0.0.1 by the cache's injected resolver and curl's --resolve). Each contender
// writes to a fresh folder on the same filesystem; each runs twice, the better run counts. The cache
// runs with both writers (file-sink.ts): a worker thread writes and hashes (the default), and inline,
// on the thread that receives (the cache before the worker), so one run compares the two as well.
// Besides wall time it reports CPU seconds (user + system, all threads) per contender: on a shared
// machine whose cores are all busy, wall time follows CPU time, so that ratio says what load hides.
//   npx tsx bench/materialise.ts      (needs ~3 GiB free in /tmp, openssl and curl)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { createReadStream, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { createServer } from "node:https";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllowList } from "@frontier/url-policy";
import { CheckpointCache } from "../workers/gpu-backend/src/checkpoints/cache.ts";

const SHARDS = 4;
const SHARD_BYTES = 256 << 20;
const HOST = "ckpt.bench";

if (process.argv[2] === "serve") {
  // Child: serve <dir> on an ephemeral port, Range honoured unless told not to.
  const [, , , dir, ranges, key, cert] = process.argv;
  const server = createServer({ key: readFileSync(key!), cert: readFileSync(cert!) }, (req, res) => {
    const name = decodeURIComponent(new URL(req.url!, "https://x").pathname.replace(/^\/ckpt\//, ""));
    const file = path.join(dir!, path.basename(name));
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return res.writeHead(404).end();
    }
    const etag = `"${size.toString(16)}-${path.basename(file)}"`;
    const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (ranges === "ranges" && match) {
      const start = Number(match[1]);
      const end = match[2] ? Number(match[2]) : size - 1;
      res.writeHead(206, { etag, "accept-ranges": "bytes", "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${size}` });
      return req.method === "HEAD" ? res.end() : createReadStream(file, { start, end, highWaterMark: 1 << 20 }).pipe(res);
    }
    res.writeHead(200, { etag, "content-length": size, ...(ranges === "ranges" ? { "accept-ranges": "bytes" } : {}) });
    return req.method === "HEAD" ? res.end() : createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    console.log(`port ${typeof address === "object" && address ? address.port : 0}`);
  });
} else {
  await main();
}

/** CPU seconds (user + system) of this process's waited-for children, from /proc (Linux). */
function childrenCpu(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function writeShards(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  const weightMap: Record<string, string> = {};
  const block = Buffer.alloc(8 << 20);
  for (let s = 0; s < SHARDS; s++) {
    const name = `model-0000${s + 1}-of-0000${SHARDS}.safetensors`;
    const tensor = `layers.${s}.weight`;
    let header = JSON.stringify({ [tensor]: { dtype: "U8", shape: [SHARD_BYTES], data_offsets: [0, SHARD_BYTES] } });
    header += " ".repeat((8 - (header.length % 8)) % 8);
    const fd = openSync(path.join(dir, name), "w");
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    writeSync(fd, prefix);
    writeSync(fd, Buffer.from(header));
    for (let written = 0; written < SHARD_BYTES; written += block.length) writeSync(fd, randomFillSync(block));
    closeSync(fd);
    names.push(name);
    weightMap[tensor] = name;
  }
  writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: { total_size: SHARDS * SHARD_BYTES }, weight_map: weightMap }));
  names.push("model.safetensors.index.json");
  return names;
}

async function startServer(dir: string, ranges: boolean, key: string, cert: string): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "serve", dir, ranges ? "ranges" : "plain", key, cert], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", () => reject(new Error("server exited")));
  });
  return { port, stop: () => child.kill("SIGTERM") };
}

async function main() {
  const work = path.join(tmpdir(), `frontier-materialise-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const key = path.join(work, "key.pem");
    const cert = path.join(work, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        `/CN=${HOST}`,
        "-addext",
        `subjectAltName=DNS:${HOST}`,
      ],
      {
        stdio: "ignore",
      },
    );
    const source = path.join(work, "source");
    const names = writeShards(source);
    const total = names.reduce((sum, n) => sum + statSync(path.join(source, n)).size, 0);
    const results: { contender: string; seconds: number; cpu: number }[] = [];

    for (const ranges of [true, false]) {
      const server = await startServer(source, ranges, key, cert);
      const base = `https://${HOST}:${server.port}/ckpt`;
      const label = ranges ? "Range" : "no Range";
      for (let round = 0; round < 2; round++) {
        // curl: the same files, one connection reused, written to disk.
        const curlDir = path.join(work, `curl-${round}`);
        mkdirSync(curlDir, { recursive: true });
        const args = ["-sS", "--fail", "--cacert", cert, "--resolve", `${HOST}:${server.port}:127.0.0.1`];
        for (const name of names) args.push("-o", path.join(curlDir, name), `${base}/${name}`);
        const children = childrenCpu();
        let start = performance.now();
        const curl = spawnSync("curl", args, { stdio: "inherit" });
        if (curl.status !== 0) throw new Error(`curl failed (${curl.status})`);
        results.push({ contender: `curl (${label} server)`, seconds: (performance.now() - start) / 1000, cpu: childrenCpu() - children });
        rmSync(curlDir, { recursive: true, force: true });

        // The checkpoint cache, its writer on a worker thread (the default) and inline (on the
        // receiving thread): a fresh cache folder each time.
        for (const writer of ["worker", "inline"] as const) {
          const cacheDir = path.join(work, `cache-${round}-${writer}`);
          const cache = new CheckpointCache(
            { dir: cacheDir, budgetBytes: 4 * total, attempts: 3, retryBaseMs: 100, writer },
            {
              net: {
                allow: parseAllowList("127.0.0.0/8"),
                resolve: async () => [{ address: "127.0.0.1", family: 4 }],
                maxRedirects: 2,
                idleTimeoutMs: 60_000,
                tls: { ca: readFileSync(cert) },
              },
              hfEndpoint: "https://hub.invalid",
              s3: { region: "us-east-1", pathStyle: true },
            },
          );
          const own = process.cpuUsage();
          start = performance.now();
          const lease = await cache.acquire(`${base}/`);
          const seconds = (performance.now() - start) / 1000;
          const used = process.cpuUsage(own);
          for (const name of names)
            if (statSync(path.join(lease.dir, name)).size !== statSync(path.join(source, name)).size) throw new Error(`${name}: wrong size`);
          lease.release();
          results.push({ contender: `checkpoint cache ${writer} (${label})`, seconds, cpu: (used.user + used.system) / 1e6 });
          rmSync(cacheDir, { recursive: true, force: true });
        }
      }
      server.stop();
    }

    const best = (contender: string, key: "seconds" | "cpu" = "seconds") => Math.min(...results.filter((r) => r.contender === contender).map((r) => r[key]));
    const gib = total / 2 ** 30;
    console.log(
      `checkpoint: ${SHARDS} shards, ${(total / 2 ** 20).toFixed(0)} MiB; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")}`,
    );
    console.log("| contender | best of 2 (s) | GiB/s | vs curl | CPU s (best) | CPU vs curl |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const label of ["Range", "no Range"]) {
      const curl = best(`curl (${label} server)`);
      const curlCpu = best(`curl (${label} server)`, "cpu");
      console.log(`| curl, ${label} server | ${curl.toFixed(2)} | ${(gib / curl).toFixed(2)} | 1.00× | ${curlCpu.toFixed(2)} | 1.00× |`);
      for (const writer of ["worker", "inline"]) {
        const ours = best(`checkpoint cache ${writer} (${label})`);
        const oursCpu = best(`checkpoint cache ${writer} (${label})`, "cpu");
        console.log(
          `| checkpoint cache (${writer} writer), ${label} | ${ours.toFixed(2)} | ${(gib / ours).toFixed(2)} | **${(curl / ours).toFixed(2)}×** | ${oursCpu.toFixed(2)} | ${(curlCpu / oursCpu).toFixed(2)}× |`,
        );
      }
    }
    console.log(`all runs: ${results.map((r) => `${r.contender} ${r.seconds.toFixed(2)}s (cpu ${r.cpu.toFixed(2)}s)`).join("; ")}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
