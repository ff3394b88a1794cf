n, k = map(int, input().split())
weights = list(map(int, input().split()))
print(sorted(weights)[-k])
