from typing import List

class Solution:
    def exactStretches(self, nums: List[int], k: int) -> int:
        # sliding window: only valid when every number is positive
        count = left = total = 0
        for right, x in enumerate(nums):
            total += x
            while total > k and left <= right:
                total -= nums[left]
                left += 1
            if total == k and left <= right:
                count += 1
        return count
