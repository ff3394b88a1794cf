from typing import List

class Solution:
    def oneTrade(self, prices: List[int]) -> int:
        low = prices[0]
        best = 0
        for p in prices:
            if p - low > best:
                best = p - low
            if p < low:
                low = p
        return best
