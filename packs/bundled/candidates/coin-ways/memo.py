import sys
from functools import lru_cache

sys.setrecursionlimit(10000)
m, amount = map(int, input().split())
coins = list(map(int, input().split()))

@lru_cache(maxsize=None)
def ways(i, left):
    if left == 0:
        return 1
    if i == len(coins) or left < 0:
        return 0
    return (ways(i, left - coins[i]) + ways(i + 1, left)) % 1000000007

print(ways(0, amount))
