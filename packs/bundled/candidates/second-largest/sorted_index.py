from typing import List

class Solution:
    def runnerUp(self, scores: List[int]) -> int:
        if len(scores) < 2:
            return -1
        ordered = sorted(scores)
        return ordered[-2]
