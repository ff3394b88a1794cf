from typing import List

class Solution:
    def longestBalanced(self, bits: List[int]) -> int:
        n = len(bits)
        first = [-2] * (2 * n + 1)
        first[n] = -1
        balance = n
        best = 0
        for i, b in enumerate(bits):
            balance += 1 if b else -1
            if first[balance] == -2:
                first[balance] = i
            else:
                best = max(best, i - first[balance])
        return best
