from typing import List

class Solution:
    def oneTrade(self, prices: List[int]) -> int:
        n = len(prices)
        suffix = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            suffix[i] = max(suffix[i + 1], prices[i])
        return max(0, max(suffix[i + 1] - prices[i] for i in range(n)) if n > 1 else 0)
