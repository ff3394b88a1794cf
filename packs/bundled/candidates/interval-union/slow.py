n = int(input())
merged = []
for _ in range(n):
    l, r = map(int, input().split())
    kept = []
    for a, b in merged:
        if b < l or r < a:
            kept.append((a, b))
        else:
            l, r = min(l, a), max(r, b)
    kept.append((l, r))
    merged = kept
print(sum(b - a for a, b in merged))
