n, k = map(int, input().split())
a = list(map(int, input().split()))
out = []
for i in range(n - k + 2):
    best = a[i]
    for j in range(i, i + k):
        best = max(best, a[j])
    out.append(best)
print(" ".join(map(str, out)))
