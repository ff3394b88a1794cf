n, cap = map(int, input().split())
items = [tuple(map(int, input().split())) for _ in range(n)]
best = [0] * cap
for w, v in items:
    for c in range(cap, w - 1, -1):
        best[c] = max(best[c], best[c - w] + v)
print(best[cap])
