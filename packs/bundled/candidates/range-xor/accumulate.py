from itertools import accumulate
from operator import xor
from typing import List

class Solution:
    def rangeXor(self, a: List[int], queries: List[List[int]]) -> List[int]:
        prefix = [0, *accumulate(a, xor)]
        return [prefix[l] ^ prefix[r + 1] for l, r in queries]
