n, cap = map(int, input().split())
items = [tuple(map(int, input().split())) for _ in range(n)]
best = [0] * (cap + 1)
for w, v in items:
    for c in range(w, cap + 1):
        best[c] = max(best[c], best[c - w] + v)
print(best[cap])
