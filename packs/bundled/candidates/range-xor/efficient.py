from typing import List

class Solution:
    def rangeXor(self, a: List[int], queries: List[List[int]]) -> List[int]:
        prefix = [0]
        for x in a:
            prefix.append(prefix[-1] ^ x)
        return [prefix[r + 1] ^ prefix[l] for l, r in queries]
