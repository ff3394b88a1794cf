from typing import List

class Solution:
    def evenCuts(self, nums: List[int]) -> int:
        half = sum(nums) // 2
        prefix = 0
        count = 0
        for x in nums[:-1]:
            prefix += x
            if prefix == half:
                count += 1
        return count
