from typing import List

class Solution:
    def oneTrade(self, prices: List[int]) -> int:
        best = 0
        low = prices[0]
        for i in range(1, len(prices) + 1):
            best = max(best, prices[i] - low)
            low = min(low, prices[i])
        return best
