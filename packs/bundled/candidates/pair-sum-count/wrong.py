from typing import List

class Solution:
    def countPairs(self, nums: List[int], target: int) -> int:
        values = set(nums)
        return sum(1 for x in values if target - x in values)
