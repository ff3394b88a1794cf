from typing import List

class Solution:
    def longestBalanced(self, bits: List[int]) -> int:
        first = {}
        balance = 0
        best = 0
        for i, b in enumerate(bits):
            balance += 1 if b else -1
            if balance in first:
                best = max(best, i - first[balance])
            else:
                first[balance] = i
        return best
