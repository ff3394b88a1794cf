// The public tests of every bundled problem (`examples`): small cases written by hand, the kind a
// statement shows, and none of them a test of any tier. They are the only tests a model may see
// (in tool use and as agentic feedback); the tiers stay hidden with the executor.
// Each value is a list of inputs in the shape of its problem's definition (its `I`).
export const EXAMPLES: Record<string, unknown[]> = {
  "anagram-classes": [["rat", "tar", "art", "car"]],
  "bracket-check": [["[()]", "(()", "{}[]"]],
  "closest-values": [
    [4n, 10n, 1n, 8n],
    [6n, 6n],
  ],
  "count-at-most": [{ a: [4, 8, 2], xs: [3, 8] }],
  "count-inversions": [
    [4, 1, 3, 2],
    [6, 7],
  ],
  "course-order": [
    {
      n: 3,
      deps: [
        [2, 1],
        [3, 1],
      ],
    },
    {
      n: 3,
      deps: [
        [1, 2],
        [2, 3],
        [3, 1],
      ],
    },
  ],
  "divisor-sum": [[12n, 9n]],
  "factorial-zeros": [[25n, 7n]],
  "fib-mod": [[3n, 15n]],
  "friend-groups": [
    {
      n: 3,
      ops: [
        [1, 1, 2],
        [0, 1, 2],
        [1, 2, 1],
        [1, 2, 3],
      ],
    },
  ],
  "interval-union": [
    [
      [2, 4],
      [3, 7],
      [9, 10],
    ],
  ],
  "island-count": [
    ["#..#", "....", "#..#"],
    ["##", "##"],
  ],
  knapsack: [
    {
      cap: 5,
      items: [
        [2, 3],
        [3, 4],
        [4, 5],
      ],
    },
  ],
  "lis-length": [{ nums: [3, 10, 2, 1, 20] }, { nums: [2, 2, 2] }],
  "longest-unique": ["abba", "dvdf"],
  "majority-vote": [{ votes: [1, 4, 4, 4, 2] }],
  "max-subarray": [{ nums: [-3, 4, -1, 2, -6] }, { nums: [-2, -5] }],
  "maze-path": [["S.#", "..#", "#.T"], ["S#T"]],
  "meeting-rooms": [
    [
      [0, 5],
      [1, 2],
      [6, 8],
    ],
  ],
  "next-greater": [
    [4, 5, 2, 6],
    [9, 9],
  ],
  "pair-difference": [{ nums: [1, 5, 3, 4, 2], k: 2 }],
  "pair-sum-count": [{ nums: [2, 7, 11, 15, 4, 5], target: 9 }],
  "pattern-count": [
    { text: "abababa", pattern: "aba" },
    { text: "mississippi", pattern: "ss" },
  ],
  "power-mod": [
    [
      [3n, 4n, 50n],
      [2n, 5n, 7n],
    ],
  ],
  "prime-count": [[20, 50]],
  "range-sum": [
    {
      a: [4, -1, 6, 2],
      queries: [
        [1, 3],
        [2, 2],
      ],
    },
  ],
  "road-network": [
    {
      n: 3,
      edges: [
        [1, 2, 4],
        [1, 3, 1],
        [3, 2, 2],
      ],
    },
  ],
  "stock-profit": [{ prices: [2, 4, 1, 7] }, { prices: [9, 8] }],
  "subarray-target": [{ nums: [3, 4, 7, 2, -3, 1], k: 7 }],
  "window-max": [{ a: [9, 1, 3, 8, 2], k: 3 }],
  "distinct-count": [[4n, 4n, 9n, 1n, 9n]],
  "second-largest": [{ scores: [40, 10, 30, 20] }],
  "kth-smallest": [{ a: [12, 5, 8, 1], k: 3 }],
  "balanced-split": [{ nums: [2, 3, -1, 4] }],
  "subarray-min-sum": [[2, 5, 3]],
  "divisible-pairs": [{ nums: [3, 6, 9, 2], k: 3 }],
  "coin-ways": [{ coins: [1, 2], amount: 4 }],
  "range-xor": [
    {
      a: [6, 2, 9, 5],
      queries: [
        [0, 1],
        [1, 3],
      ],
    },
  ],
  "grid-path-max": [
    [
      [1, -2, 4],
      [3, 5, -1],
    ],
  ],
  "word-frequency": [["red", "blue", "red", "green"]],
  "missing-number": [{ n: 5, seen: [2, 5, 3, 1] }],
  "zero-one-balance": [{ bits: [0, 1, 1, 1, 0, 0] }],
};
