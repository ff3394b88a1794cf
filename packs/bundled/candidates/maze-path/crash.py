import sys
h, w = map(int, input().split())
g = [input().strip() for _ in range(h)]
best = {}

def walk(r, c, d):
    if not (0 <= r < h and 0 <= c < w) or g[r][c] == "#" or best.get((r, c), 10**9) <= d:
        return
    best[(r, c)] = d
    for nr, nc in ((r + 1, c), (r, c + 1), (r - 1, c), (r, c - 1)):
        walk(nr, nc, d + 1)

walk(0, 0, 0)
print(best[(h - 1, w - 1)])
