from collections import Counter
from typing import List

class Solution:
    def divisiblePairs(self, nums: List[int], k: int) -> int:
        counts = Counter(x % k for x in nums)
        total = 0
        for r, c in counts.items():
            s = (k - r) % k
            if r == s:
                total += c * (c - 1)
            else:
                total += c * counts.get(s, 0)
        return total // 2
