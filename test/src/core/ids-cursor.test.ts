import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../../src/domain/cursor.ts";
import { idTime, newId } from "../../../src/domain/ids.ts";
import { generateApiKey, API_KEY_PATTERN, sha256Hex } from "../../../src/domain/api-keys.ts";

describe("ids", () => {
  it("sort by creation time and carry it", () => {
    const times = [0, 1, 31, 32, 1_700_000_000_000, 1_700_000_000_001, 2 ** 45];
    const ids = times.map((t) => newId("ckpt", new Date(t)));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => idTime(id)?.getTime())).toEqual(times);
    for (const id of ids) expect(id).toMatch(/^ckpt_[0-9a-z]{26}$/);
  });

  it("differ within one millisecond", () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 1000 }, () => newId("x", now)));
    expect(ids.size).toBe(1000);
  });
});

describe("cursors", () => {
  it("round-trip and refuse anything else", () => {
    const cursor = encodeCursor({ after: "ckpt_01abc" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ after: "ckpt_01abc" });
    for (const bad of ["", "!!", "e30", btoa('{"v":2,"a":"x"}').replace(/=+$/, ""), btoa("[]"), "x".repeat(600)]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe("api keys", () => {
  it("are random, well-formed and hashed with SHA-256", async () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(API_KEY_PATTERN);
    expect(a.key).not.toBe(b.key);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
