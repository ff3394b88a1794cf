h, w = map(int, input().split())
g = [input().strip() for _ in range(h)]
INF = float("inf")
dist = [[INF] * w for _ in range(h)]
for r in range(h):
    for c in range(w):
        if g[r][c] == "S":
            dist[r][c] = 0
changed = True
while changed:
    changed = False
    for r in range(h):
        for c in range(w):
            if g[r][c] == "#":
                continue
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < h and 0 <= nc < w and dist[nr][nc] + 1 < dist[r][c]:
                    dist[r][c] = dist[nr][nc] + 1
                    changed = True
for r in range(h):
    for c in range(w):
        if g[r][c] == "T":
            print(dist[r][c] if dist[r][c] < INF else -1)
