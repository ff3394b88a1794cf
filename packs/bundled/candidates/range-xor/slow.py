from typing import List

class Solution:
    def rangeXor(self, a: List[int], queries: List[List[int]]) -> List[int]:
        answers = []
        for l, r in queries:
            value = 0
            for i in range(l, r + 1):
                value ^= a[i]
            answers.append(value)
        return answers
