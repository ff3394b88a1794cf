from itertools import accumulate
from typing import List

class Solution:
    def evenCuts(self, nums: List[int]) -> int:
        total = sum(nums)
        return sum(1 for p in accumulate(nums[:-1]) if p * 2 == total)
