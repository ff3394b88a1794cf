from typing import List

class Solution:
    def evenCuts(self, nums: List[int]) -> int:
        return 1 if sum(nums) % 2 == 0 else 0
