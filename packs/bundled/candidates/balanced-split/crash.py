from typing import List

class Solution:
    def evenCuts(self, nums: List[int]) -> int:
        prefix = [0]
        for x in nums:
            prefix.append(prefix[-1] + x)
        return sum(1 for i in range(1, len(nums) + 1) if 2 * prefix[i] == prefix[len(nums) + 1])
