from typing import List

class Solution:
    def countPairs(self, nums: List[int], target: int) -> int:
        nums.sort()
        i, j, count = 0, len(nums) - 1, 0
        while i <= j:
            s = nums[i] + nums[j]
            if s == target:
                count += 1
                i += 1
            elif s < target:
                i += 1
            else:
                j -= 1
        return count // (nums[0] - nums[0])
