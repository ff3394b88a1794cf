from typing import List

class Solution:
    def divisiblePairs(self, nums: List[int], k: int) -> int:
        seen = {}
        count = 0
        for x in nums:
            r = x % k
            count += seen.get((k - r) % k, 0)
            seen[r] = seen.get(r, 0) + 1
        return count
