import sys

sys.setrecursionlimit(1000000)
m, amount = map(int, input().split())
coins = list(map(int, input().split()))

def ways(i, left):
    if left == 0:
        return 1
    if i == len(coins):
        return 0
    total = 0
    use = 0
    while use * coins[i] <= left:
        total += ways(i + 1, left - use * coins[i])
        use += 1
    return total

print(ways(0, amount) % 1000000007)
