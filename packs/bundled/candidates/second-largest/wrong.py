from typing import List

class Solution:
    def runnerUp(self, scores: List[int]) -> int:
        return min(scores)
