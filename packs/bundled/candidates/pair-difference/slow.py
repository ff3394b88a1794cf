from typing import List

class Solution:
    def distinctGaps(self, nums: List[int], k: int) -> int:
        found = set()
        for i in range(len(nums)):
            for j in range(len(nums)):
                if i != j and nums[j] - nums[i] == k:
                    found.add(nums[i])
        return len(found)
