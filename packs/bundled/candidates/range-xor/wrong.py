from typing import List

class Solution:
    def rangeXor(self, a: List[int], queries: List[List[int]]) -> List[int]:
        return [a[l] ^ a[r] for l, r in queries]
