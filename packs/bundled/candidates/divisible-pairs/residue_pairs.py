from typing import List

class Solution:
    def divisiblePairs(self, nums: List[int], k: int) -> int:
        counts = [0] * k
        for x in nums:
            counts[x % k] += 1
        total = counts[0] * (counts[0] - 1) // 2
        for r in range(1, (k + 1) // 2):
            total += counts[r] * counts[k - r]
        return total
