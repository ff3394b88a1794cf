from typing import List

class Solution:
    def distinctGaps(self, nums: List[int], k: int) -> int:
        a = sorted(nums)
        j = 0
        pairs = 0
        last = None
        for i in range(len(a)):
            if a[i] == last:
                continue
            last = a[i]
            j = max(j, i + 1)
            while j < len(a) and a[j] - a[i] < k:
                j += 1
            if j < len(a) and a[j] - a[i] == k:
                pairs += 1
        return pairs
