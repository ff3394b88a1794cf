from typing import List

class Solution:
    def runnerUp(self, scores: List[int]) -> int:
        distinct = sorted(set(scores))
        return distinct[-2] + scores[len(scores)]
