h, w = map(int, input().split())
g = [input().strip() for _ in range(h)]
label = [[r * w + c if g[r][c] == "#" else -1 for c in range(w)] for r in range(h)]
changed = True
while changed:
    changed = False
    for r in range(h):
        for c in range(w):
            if label[r][c] < 0:
                continue
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < h and 0 <= nc < w and 0 <= label[nr][nc] < label[r][c]:
                    label[r][c] = label[nr][nc]
                    changed = True
print(len({x for row in label for x in row if x >= 0}))
