from typing import List

class Solution:
    def longestBalanced(self, bits: List[int]) -> int:
        return len(bits) if bits.count(0) == bits.count(1) else len(bits) - 1
