from typing import List

class Solution:
    def longestBalanced(self, bits: List[int]) -> int:
        first = [None] * len(bits)
        balance = 0
        best = 0
        for i, b in enumerate(bits):
            balance += 1 if b else -1
            if first[balance] is None:
                first[balance] = i
            best = max(best, i - first[balance - len(bits) * 2])
        return best
