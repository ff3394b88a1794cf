import { describe, expect, it } from "vitest";
import { rendezvousOrder } from "../../../src/domain/rendezvous.ts";

const keys = Array.from({ length: 2000 }, (_, i) => `pack-${i}`);

describe("rendezvous hashing of packs to executor instances", () => {
  it("orders every instance once, the same way every time", () => {
    const order = rendezvousOrder("lcb-hard", 8);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rendezvousOrder("lcb-hard", 8)).toEqual(order);
    expect(rendezvousOrder("x", 1)).toEqual([0]);
    expect(() => rendezvousOrder("x", 0)).toThrow(RangeError);
  });

  it("spreads keys evenly: each of 8 instances is the home of 250 ± 60 of 2000 packs", () => {
    const homes = new Array(8).fill(0);
    for (const key of keys) homes[rendezvousOrder(key, 8)[0]]++;
    expect(homes.reduce((a, b) => a + b, 0)).toBe(2000);
    for (const count of homes) expect(Math.abs(count - 250)).toBeLessThanOrEqual(60);
  });

  it("moves only the keys the new instance wins when one is added, and none when one is removed elsewhere", () => {
    let moved = 0;
    for (const key of keys) {
      const before = rendezvousOrder(key, 8)[0];
      const after = rendezvousOrder(key, 9)[0];
      if (before !== after) {
        moved++;
        expect(after).toBe(8); // a key only ever moves to the new instance
      }
    }
    expect(moved).toBeGreaterThan(2000 / 9 - 60);
    expect(moved).toBeLessThan(2000 / 9 + 60);
    // The relative order of the old instances is unchanged for every key.
    for (const key of keys.slice(0, 200)) expect(rendezvousOrder(key, 9).filter((i) => i < 8)).toEqual(rendezvousOrder(key, 8));
  });
});
