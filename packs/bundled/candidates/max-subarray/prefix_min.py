from typing import List

class Solution:
    def bestStretch(self, nums: List[int]) -> int:
        best = nums[0]
        prefix = 0
        lowest = 0
        for x in nums:
            prefix += x
            best = max(best, prefix - lowest)
            lowest = min(lowest, prefix)
        return best
