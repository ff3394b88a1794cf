import heapq
from typing import List

class Solution:
    def runnerUp(self, scores: List[int]) -> int:
        top = heapq.nlargest(2, set(scores))
        return top[1] if len(top) == 2 else -1
