from typing import List
from bisect import bisect_left, bisect_right

class Solution:
    def countPairs(self, nums: List[int], target: int) -> int:
        nums = sorted(nums)
        count = 0
        for i, x in enumerate(nums):
            lo = bisect_left(nums, target - x, i + 1)
            hi = bisect_right(nums, target - x, i + 1)
            count += hi - lo
        return count
