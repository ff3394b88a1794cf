n = int(input())
segs = [tuple(map(int, input().split())) for _ in range(n)]
segs.sort(key=lambda se: se[1])
chosen = [segs[0]]
for s, e in segs[1:]:
    if s >= chosen[-1][1]:
        chosen.append((s, e))
print(len(chosen), chosen[n])
