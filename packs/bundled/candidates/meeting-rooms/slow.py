n = int(input())
segs = sorted(tuple(map(int, input().split())) for _ in range(n))
# best[i]: most meetings in a compatible chain ending with meeting i
best = [1] * n
for i in range(n):
    for j in range(i):
        if segs[j][1] <= segs[i][0] and best[j] + 1 > best[i]:
            best[i] = best[j] + 1
print(max(best))
