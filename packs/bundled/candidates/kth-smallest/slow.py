n, k = map(int, input().split())
weights = list(map(int, input().split()))
for _ in range(k - 1):
    weights.remove(min(weights))
print(min(weights))
