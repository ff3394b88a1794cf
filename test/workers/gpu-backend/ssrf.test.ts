// SSRF: every hop is resolved through the injected resolver and checked before a socket opens;
// no test sends a packet outside 127.0.0.0/8 (refused hops never connect).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCheckpointUrl, classifyAddress, parseAllowList } from "@frontier/url-policy";
import { guardedFetch, type NetPolicy, type Resolver } from "../../../workers/gpu-backend/src/net/guarded-fetch.ts";
import { materialiseCheckpoint } from "../../../workers/gpu-backend/src/checkpoints/materialise.ts";

const NAMES: Record<string, string> = {
  "loopback.test": "127.0.0.1",
  "private10.test": "10.1.2.3",
  "private172.test": "172.16.5.4",
  "private192.test": "192.168.0.10",
  "metadata.test": "169.254.169.254",
  "cgnat.test": "100.64.0.1",
  "multicast.test": "224.0.0.251",
  "zero.test": "0.0.0.0",
  "v6loop.test": "::1",
  "v6linklocal.test": "fe80::1",
  "v6ula.test": "fd00::1",
  "mapped.test": "::ffff:127.0.0.1",
  "mappedhex.test": "::ffff:a9fe:a9fe",
  "v6multicast.test": "ff02::1",
};

let server: Server;
let port = 0;
let requests = 0;
const lookups: string[] = [];

const resolver: Resolver = async (host) => {
  lookups.push(host);
  const address = NAMES[host] ?? (host === "double.test" || host === "rebind.test" ? "127.0.0.1" : undefined);
  if (!address) throw new Error(`test resolver: unknown ${host}`);
  return [{ address, family: address.includes(":") ? 6 : 4 }];
};

function policy(allow = ""): NetPolicy {
  return { allow: parseAllowList(allow), resolve: resolver, maxRedirects: 5, idleTimeoutMs: 5000 };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const to = new URL(req.url!, "http://x").searchParams.get("to");
    if (to) {
      res.writeHead(302, { location: to });
      res.end();
      return;
    }
    res.end(`ok ${req.headers.host}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("address classes", () => {
  it.each(Object.entries(NAMES))("%s → %s is refused", (_name, address) => {
    expect(classifyAddress(address)).not.toBe("public");
  });
  it("public addresses pass", () => {
    expect(classifyAddress("8.8.8.8")).toBe("public");
    expect(classifyAddress("2606:4700::1111")).toBe("public");
  });
});

describe("guarded fetch", () => {
  it.each(Object.keys(NAMES))("refuses a name resolving to a refused range (%s) before connecting", async (name) => {
    const before = requests;
    await expect(guardedFetch(`https://${name}:${port}/x`, {}, policy())).rejects.toThrow(/not fetched/);
    expect(requests).toBe(before);
  });

  it.each(["https://127.0.0.1/x", "https://[::1]/x", "https://[::ffff:127.0.0.1]/x", "https://169.254.169.254/latest/meta-data/"])(
    "refuses the literal address %s",
    async (url) => {
      await expect(guardedFetch(url, {}, policy())).rejects.toThrow(/not fetched/);
    },
  );

  it("FETCH_ALLOW_HOSTS opens a CIDR, and the connection goes to the checked address", async () => {
    const before = requests;
    lookups.length = 0;
    const response = await guardedFetch(`http://double.test:${port}/x`, {}, policy("127.0.0.0/8"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`ok double.test:${port}`);
    expect(response.address).toBe("127.0.0.1");
    expect(lookups).toEqual(["double.test"]);
    expect(requests).toBe(before + 1);
  });

  it("FETCH_ALLOW_HOSTS opens a name only for that name", async () => {
    const response = await guardedFetch(`http://loopback.test:${port}/x`, {}, policy("loopback.test"));
    expect(response.status).toBe(200);
    await response.text();
    await expect(guardedFetch(`http://v6loop.test:${port}/x`, {}, policy("loopback.test"))).rejects.toThrow(/not fetched/);
  });

  it.each(["metadata.test", "mapped.test", "private10.test", "cgnat.test"])("refuses a redirect into %s (one request, the redirect)", async (name) => {
    const before = requests;
    const to = encodeURIComponent(`http://${name}:${port}/secret`);
    await expect(guardedFetch(`http://double.test:${port}/r?to=${to}`, {}, policy("double.test"))).rejects.toThrow(/not fetched/);
    expect(requests).toBe(before + 1);
  });

  it("refuses a redirect to a literal metadata address", async () => {
    const before = requests;
    const to = encodeURIComponent("http://169.254.169.254/latest/meta-data/");
    await expect(guardedFetch(`http://double.test:${port}/r?to=${to}`, {}, policy("double.test"))).rejects.toThrow(/not fetched/);
    expect(requests).toBe(before + 1);
  });

  it("follows a redirect to an allowed host and drops the token when the origin changes", async () => {
    const seen: (string | undefined)[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end("cdn");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherPort = (other.address() as AddressInfo).port;
    try {
      const to = encodeURIComponent(`http://double.test:${otherPort}/blob`);
      const response = await guardedFetch(`http://double.test:${port}/r?to=${to}`, { headers: { authorization: "Bearer hf_secret" } }, policy("127.0.0.0/8"));
      expect(await response.text()).toBe("cdn");
      expect(seen).toEqual([undefined]);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it("plain http:// to a public address is refused (https only outside the allow list)", async () => {
    const publicResolver: Resolver = async () => [{ address: "93.184.215.14", family: 4 }];
    await expect(guardedFetch("http://public.test/x", {}, { ...policy(), resolve: publicResolver })).rejects.toThrow(/plain http/);
  });
});

describe("one scheme list for the edge and the backend", () => {
  it("gs:// is refused by the edge and by the backend", async () => {
    expect(checkCheckpointUrl("gs://bucket/model.safetensors", { allowFileUrls: false }).ok).toBe(false);
    await expect(materialiseCheckpoint("gs://bucket/model.safetensors")).rejects.toThrow(/not supported/);
  });
});
