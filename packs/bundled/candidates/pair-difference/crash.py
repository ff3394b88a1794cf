from typing import List

class Solution:
    def distinctGaps(self, nums: List[int], k: int) -> int:
        present = [False] * (max(nums) + 1)
        for x in nums:
            present[x] = True
        return sum(1 for x in range(len(present)) if present[x] and present[x + k])
