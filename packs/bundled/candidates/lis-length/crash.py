from typing import List
from functools import lru_cache

class Solution:
    def risingChain(self, nums: List[int]) -> int:
        @lru_cache(maxsize=None)
        def longest_from(i):
            return 1 + max(longest_from(j) for j in range(i + 1, len(nums)) if nums[j] > nums[i])
        return max(longest_from(i) for i in range(len(nums)))
