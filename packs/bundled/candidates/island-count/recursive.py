import sys
sys.setrecursionlimit(10000)
h, w = map(int, input().split())
g = [list(input().strip()) for _ in range(h)]

def sink(r, c):
    if r < 0 or c < 0 or r >= h or c >= w or g[r][c] != "#":
        return
    g[r][c] = "."
    sink(r + 1, c); sink(r - 1, c); sink(r, c + 1); sink(r, c - 1)

count = 0
for r in range(h):
    for c in range(w):
        if g[r][c] == "#":
            count += 1
            sink(r, c)
print(count)
