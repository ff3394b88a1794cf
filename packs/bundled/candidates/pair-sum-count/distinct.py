from typing import List

class Solution:
    def countPairs(self, nums: List[int], target: int) -> int:
        # assumes values are distinct
        seen = set()
        count = 0
        for x in nums:
            if target - x in seen:
                count += 1
            seen.add(x)
        return count
