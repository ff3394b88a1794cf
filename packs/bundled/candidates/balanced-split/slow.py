from typing import List

class Solution:
    def evenCuts(self, nums: List[int]) -> int:
        count = 0
        for i in range(1, len(nums)):
            if sum(nums[:i]) == sum(nums[i:]):
                count += 1
        return count
