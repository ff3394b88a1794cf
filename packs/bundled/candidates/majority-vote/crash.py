from typing import List

class Solution:
    def landslide(self, votes: List[int]) -> int:
        tally = [0] * (len(votes) + 1)
        for v in votes:
            tally[v] += 1
        best = max(range(len(tally)), key=tally.__getitem__)
        return best if 2 * tally[best] > len(votes) else -1
