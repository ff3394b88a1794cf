n, q = map(int, input().split())
a = sorted(map(int, input().split()))
xs = list(map(int, input().split()))
out = []
for x in xs:
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    out.append(lo)
print(" ".join(map(str, out)), a[n])
