m, amount = map(int, input().split())
coins = list(map(int, input().split()))
ways = [1] + [0] * amount
for c in coins:
    for v in range(amount + 1):
        ways[v] += ways[v - c] if v >= c else ways[amount + 1]
print(ways[amount])
