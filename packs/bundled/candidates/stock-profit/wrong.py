from typing import List

class Solution:
    def oneTrade(self, prices: List[int]) -> int:
        return max(prices) - min(prices)
