from typing import List

class Solution:
    def distinctGaps(self, nums: List[int], k: int) -> int:
        return sum(1 for i in range(len(nums) - 1) if abs(nums[i + 1] - nums[i]) == k)
