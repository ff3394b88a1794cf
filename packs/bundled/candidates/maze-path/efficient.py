import sys
from collections import deque
data = sys.stdin.read().split()
h, w = int(data[0]), int(data[1])
g = data[2:2 + h]
flat = "".join(g)
start, target = flat.index("S"), flat.index("T")
dist = [-1] * (h * w)
dist[start] = 0
q = deque([start])
while q:
    cur = q.popleft()
    r, c = divmod(cur, w)
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= nr < h and 0 <= nc < w:
            nxt = nr * w + nc
            if dist[nxt] == -1 and flat[nxt] != "#":
                dist[nxt] = dist[cur] + 1
                q.append(nxt)
print(dist[target])
