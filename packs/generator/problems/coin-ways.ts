import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { coins: number[]; amount: number };

const MOD = 1_000_000_007;

export default defineProblem<In>({
  id: "coin-ways",
  title: "Making Change",
  statement: `
Count the ways to pay exactly the amount with coins of the given distinct denominations (unlimited supply of each). Two ways differ when some denomination is used a different number of times; the order of coins does not matter. Print the count modulo 1000000007.

Input: m and amount on the first line, then the m denominations.
Output: one integer.

Constraints: 1 <= m <= 50; 1 <= coin <= 10^4; 0 <= amount <= 10^5.
`,
  kind: "stdin",
  time_ms: 2000,
  memory_mb: 256,
  tags: ["dp", "knapsack", "counting"],
  small: [
    { coins: [2], amount: 6 },
    { coins: [5, 7], amount: 5 },
    { coins: [3], amount: 4 },
    { coins: [4, 9], amount: 9 },
  ],
  medium: (rng: Rng) => [
    { coins: [1, 2, 5], amount: 60 },
    { coins: rng.shuffle([2, 3, 7, 11]), amount: rng.int(60, 80) },
  ],
  large: (rng: Rng) => [
    { coins: [1, 2, 5, 10, 20, 50, 100, 200], amount: 100000 },
    { coins: rng.shuffle([...new Set(rng.ints(30, 1, 500))]), amount: 20000 },
  ],
  solve: ({ coins, amount }) => {
    const ways = new Array<number>(amount + 1).fill(0);
    ways[0] = 1;
    for (const c of coins) for (let v = c; v <= amount; v++) ways[v] = (ways[v]! + ways[v - c]!) % MOD;
    return ways[amount];
  },
  format: ({ coins, amount }) => lines([coins.length, amount], coins),
});
