from typing import List

class Solution:
    def exactStretches(self, nums: List[int], k: int) -> int:
        return sum(1 for i in range(len(nums) - 1) if nums[i] + nums[i + 1] == k) + nums.count(k)
