from typing import List

class Solution:
    def landslide(self, votes: List[int]) -> int:
        return min(votes) if len(votes) > 1 else -1
