from typing import List

class Solution:
    def runnerUp(self, scores: List[int]) -> int:
        top = max(scores)
        second = -1
        for s in scores:
            if s != top and s > second:
                second = s
        return second
