import { describe, expect, it } from "vitest";
import { checkCheckpointUrl } from "@frontier/url-policy";
import { ACCEPTED_URLS, HOSTILE_URLS } from "../../contract/urls.ts";

const strict = { allowFileUrls: false };
const demo = { allowFileUrls: true };

describe("checkpoint URL policy", () => {
  it.each(ACCEPTED_URLS)("accepts %s", (url) => {
    expect(checkCheckpointUrl(url, strict).ok).toBe(true);
  });

  it.each(HOSTILE_URLS)("rejects %s (%s)", (url) => {
    const check = checkCheckpointUrl(url, demo);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason.length).toBeGreaterThan(5);
  });

  it("explains why", () => {
    expect(checkCheckpointUrl("http://a.example/x", strict)).toMatchObject({ reason: expect.stringContaining("https") });
    expect(checkCheckpointUrl("https://u:p@a.example/x", strict)).toMatchObject({ reason: expect.stringContaining("credentials") });
    expect(checkCheckpointUrl("https://[::ffff:127.0.0.1]/x", strict)).toMatchObject({ reason: expect.stringContaining("IP") });
  });

  it("takes file:// only when allowed, and only absolute local paths", () => {
    expect(checkCheckpointUrl("file:///data/ckpt", strict).ok).toBe(false);
    expect(checkCheckpointUrl("file:///data/ckpt", demo)).toEqual({ ok: true, url: "file:///data/ckpt" });
    expect(checkCheckpointUrl("file://host/data/ckpt", demo).ok).toBe(false);
    expect(checkCheckpointUrl("file:///data/../etc/passwd", demo).ok).toBe(false);
    expect(checkCheckpointUrl("file:///data/%2e%2e/etc", demo).ok).toBe(false);
  });

  it("normalises https URLs and keeps the others verbatim", () => {
    expect(checkCheckpointUrl("https://Models.Example.com/a", strict)).toEqual({ ok: true, url: "https://models.example.com/a" });
    expect(checkCheckpointUrl("hf://Acme/Repo@v1/a/b.safetensors", strict)).toEqual({ ok: true, url: "hf://Acme/Repo@v1/a/b.safetensors" });
    expect(checkCheckpointUrl(`https://a.example/${"x".repeat(2100)}`, strict).ok).toBe(false);
  });
});
