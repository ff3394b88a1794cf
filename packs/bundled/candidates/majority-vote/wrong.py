from typing import List

class Solution:
    def landslide(self, votes: List[int]) -> int:
        return sorted(votes)[len(votes) // 2]
