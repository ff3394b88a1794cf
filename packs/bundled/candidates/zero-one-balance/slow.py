from typing import List

class Solution:
    def longestBalanced(self, bits: List[int]) -> int:
        best = 0
        n = len(bits)
        for i in range(n):
            balance = 0
            for j in range(i, n):
                balance += 1 if bits[j] else -1
                if balance == 0 and j - i + 1 > best:
                    best = j - i + 1
        return best
