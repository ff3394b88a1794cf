from typing import List

class Solution:
    def rangeXor(self, a: List[int], queries: List[List[int]]) -> List[int]:
        prefix = []
        running = 0
        for x in a:
            running ^= x
            prefix.append(running)
        return [prefix[r] ^ prefix[l - 1] for l, r in queries]
