from typing import List

class Solution:
    def bestStretch(self, nums: List[int]) -> int:
        return sum(x for x in nums if x > 0) or max(nums)
