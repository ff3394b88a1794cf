from typing import List

class Solution:
    def landslide(self, votes: List[int]) -> int:
        candidate, lead = None, 0
        for v in votes:
            if lead == 0:
                candidate = v
            lead += 1 if v == candidate else -1
        return candidate if 2 * votes.count(candidate) > len(votes) else -1
