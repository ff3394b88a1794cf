from typing import List

class Solution:
    def oneTrade(self, prices: List[int]) -> int:
        hi = max(range(len(prices)), key=prices.__getitem__)
        lo = min(range(hi + 1), key=prices.__getitem__)
        return prices[hi] - prices[lo]
