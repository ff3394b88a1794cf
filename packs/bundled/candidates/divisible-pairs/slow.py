from typing import List

class Solution:
    def divisiblePairs(self, nums: List[int], k: int) -> int:
        count = 0
        n = len(nums)
        for i in range(n):
            for j in range(i + 1, n):
                if (nums[i] + nums[j]) % k == 0:
                    count += 1
        return count
