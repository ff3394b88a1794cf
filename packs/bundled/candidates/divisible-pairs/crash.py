from typing import List

class Solution:
    def divisiblePairs(self, nums: List[int], k: int) -> int:
        counts = [0] * k
        for x in nums:
            counts[x] += 1
        return sum(counts[r] * counts[k - r] for r in range(1, k)) // 2
