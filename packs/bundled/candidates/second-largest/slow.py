from typing import List

class Solution:
    def runnerUp(self, scores: List[int]) -> int:
        second = -1
        for s in scores:
            if s < max(scores) and s > second:
                second = s
        return second
