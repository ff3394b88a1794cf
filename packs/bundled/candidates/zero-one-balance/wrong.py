from typing import List

class Solution:
    def longestBalanced(self, bits: List[int]) -> int:
        return 2 * min(bits.count(0), bits.count(1))
