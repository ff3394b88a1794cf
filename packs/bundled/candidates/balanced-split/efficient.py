from typing import List

class Solution:
    def evenCuts(self, nums: List[int]) -> int:
        total = sum(nums)
        prefix = 0
        count = 0
        for x in nums[:-1]:
            prefix += x
            if 2 * prefix == total:
                count += 1
        return count
