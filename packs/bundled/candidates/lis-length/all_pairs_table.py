from typing import List

class Solution:
    def risingChain(self, nums: List[int]) -> int:
        n = len(nums)
        # less[i][j]: nums[j] < nums[i], for every pair
        less = [[nums[j] < nums[i] for j in range(n)] for i in range(n)]
        best = [1] * n
        for i in range(n):
            row = less[i]
            for j in range(i):
                if row[j] and best[j] + 1 > best[i]:
                    best[i] = best[j] + 1
        return max(best)
