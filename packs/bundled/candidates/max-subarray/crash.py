from typing import List

class Solution:
    def bestStretch(self, nums: List[int]) -> int:
        def best_from(i):
            if i == len(nums) - 1:
                return nums[i], nums[i]
            run, best = best_from(i + 1)
            run = max(nums[i], nums[i] + run)
            return run, max(best, run)
        return best_from(0)[1] + len(nums[0])
