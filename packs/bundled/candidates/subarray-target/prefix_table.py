from typing import List

class Solution:
    def exactStretches(self, nums: List[int], k: int) -> int:
        prefix = [0]
        for x in nums:
            prefix.append(prefix[-1] + x)
        n = len(nums)
        return sum(1 for i in range(n) for j in range(i + 1, n + 1) if prefix[j] - prefix[i] == k)
