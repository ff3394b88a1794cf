from typing import List

class Solution:
    def divisiblePairs(self, nums: List[int], k: int) -> int:
        return sum(1 for x in nums if x % k == 0)
