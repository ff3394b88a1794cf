from collections import deque
h, w = map(int, input().split())
g = [input().strip() for _ in range(h)]
start = next((r, c) for r in range(h) for c in range(w) if g[r][c] == "S")
dist = {start: 0}
q = deque([start])
while q:
    r, c = q.popleft()
    if g[r][c] == "T":
        print(dist[(r, c)])
        break
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if nr >= 0 and nc >= 0 and g[nr][nc] != "#" and (nr, nc) not in dist:
            dist[(nr, nc)] = dist[(r, c)] + 1
            q.append((nr, nc))
else:
    print(-1)
