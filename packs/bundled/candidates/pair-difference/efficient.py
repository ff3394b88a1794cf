from typing import List
from collections import Counter

class Solution:
    def distinctGaps(self, nums: List[int], k: int) -> int:
        counts = Counter(nums)
        if k == 0:
            return sum(1 for c in counts.values() if c >= 2)
        return sum(1 for x in counts if x + k in counts)
