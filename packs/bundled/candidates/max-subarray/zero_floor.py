from typing import List

class Solution:
    def bestStretch(self, nums: List[int]) -> int:
        best = 0
        run = 0
        for x in nums:
            run = max(0, run + x)
            best = max(best, run)
        return best
