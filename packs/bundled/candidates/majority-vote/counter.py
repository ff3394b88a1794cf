from typing import List
from collections import Counter

class Solution:
    def landslide(self, votes: List[int]) -> int:
        value, count = Counter(votes).most_common(1)[0]
        return value if 2 * count > len(votes) else -1
