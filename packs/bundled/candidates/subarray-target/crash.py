from typing import List

class Solution:
    def exactStretches(self, nums: List[int], k: int) -> int:
        seen = {0: 1}
        prefix = count = 0
        for x in nums:
            prefix += x
            count += seen[prefix - k]
            seen[prefix] = seen.get(prefix, 0) + 1
        return count
