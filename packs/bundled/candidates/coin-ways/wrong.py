m, amount = map(int, input().split())
coins = list(map(int, input().split()))
print(sum(1 for c in coins if amount % c == 0 and c <= amount) + 1)
