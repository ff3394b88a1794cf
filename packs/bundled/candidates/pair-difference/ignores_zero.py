from typing import List

class Solution:
    def distinctGaps(self, nums: List[int], k: int) -> int:
        values = set(nums)
        return sum(1 for x in values if x + k in values)
