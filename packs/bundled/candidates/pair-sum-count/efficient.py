from typing import List
from collections import Counter

class Solution:
    def countPairs(self, nums: List[int], target: int) -> int:
        seen = Counter()
        count = 0
        for x in nums:
            count += seen[target - x]
            seen[x] += 1
        return count
