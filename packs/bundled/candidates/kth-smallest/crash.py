n, k = map(int, input().split())
weights = list(map(int, input().split()))
weights.sort()
print(weights[k - 1] // (k - k))
