// Every problem of the bundled pack, in pack order. The seed fixes every random test.
import type { ProblemDefinition } from "../lib.ts";
import anagramClasses from "./anagram-classes.ts";
import bracketCheck from "./bracket-check.ts";
import closestValues from "./closest-values.ts";
import countAtMost from "./count-at-most.ts";
import countInversions from "./count-inversions.ts";
import courseOrder from "./course-order.ts";
import divisorSum from "./divisor-sum.ts";
import factorialZeros from "./factorial-zeros.ts";
import fibMod from "./fib-mod.ts";
import friendGroups from "./friend-groups.ts";
import intervalUnion from "./interval-union.ts";
import islandCount from "./island-count.ts";
import knapsack from "./knapsack.ts";
import lisLength from "./lis-length.ts";
import longestUnique from "./longest-unique.ts";
import majorityVote from "./majority-vote.ts";
import maxSubarray from "./max-subarray.ts";
import mazePath from "./maze-path.ts";
import meetingRooms from "./meeting-rooms.ts";
import nextGreater from "./next-greater.ts";
import pairDifference from "./pair-difference.ts";
import pairSumCount from "./pair-sum-count.ts";
import patternCount from "./pattern-count.ts";
import powerMod from "./power-mod.ts";
import primeCount from "./prime-count.ts";
import rangeSum from "./range-sum.ts";
import roadNetwork from "./road-network.ts";
import stockProfit from "./stock-profit.ts";
import subarrayTarget from "./subarray-target.ts";
import windowMax from "./window-max.ts";
import balancedSplit from "./balanced-split.ts";
import coinWays from "./coin-ways.ts";
import distinctCount from "./distinct-count.ts";
import divisiblePairs from "./divisible-pairs.ts";
import gridPathMax from "./grid-path-max.ts";
import kthSmallest from "./kth-smallest.ts";
import missingNumber from "./missing-number.ts";
import rangeXor from "./range-xor.ts";
import secondLargest from "./second-largest.ts";
import subarrayMinSum from "./subarray-min-sum.ts";
import wordFrequency from "./word-frequency.ts";
import zeroOneBalance from "./zero-one-balance.ts";

export const PACK_NAME = "frontier-bundled";
export const PACK_SEED = 20250701;

export const DEFINITIONS: ProblemDefinition<unknown>[] = [
  anagramClasses,
  bracketCheck,
  closestValues,
  countAtMost,
  countInversions,
  courseOrder,
  divisorSum,
  factorialZeros,
  fibMod,
  friendGroups,
  intervalUnion,
  islandCount,
  knapsack,
  lisLength,
  longestUnique,
  majorityVote,
  maxSubarray,
  mazePath,
  meetingRooms,
  nextGreater,
  pairDifference,
  pairSumCount,
  patternCount,
  powerMod,
  primeCount,
  rangeSum,
  roadNetwork,
  stockProfit,
  subarrayTarget,
  windowMax,
  balancedSplit,
  coinWays,
  distinctCount,
  divisiblePairs,
  gridPathMax,
  kthSmallest,
  missingNumber,
  rangeXor,
  secondLargest,
  subarrayMinSum,
  wordFrequency,
  zeroOneBalance,
];
