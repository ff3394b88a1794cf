from typing import List

class Solution:
    def landslide(self, votes: List[int]) -> int:
        for v in votes:
            count = 0
            for u in votes:
                if u == v:
                    count += 1
            if 2 * count > len(votes):
                return v
        return -1
