import sys
data = sys.stdin.read().split()
h, w = int(data[0]), int(data[1])
flat = "".join(data[2:2 + h])
seen = bytearray(h * w)
islands = 0
for s in range(h * w):
    if seen[s] or flat[s] != "#":
        continue
    islands += 1
    seen[s] = 1
    stack = [s]
    while stack:
        cur = stack.pop()
        r, c = divmod(cur, w)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                nr, nc = r + dr, c + dc
                if 0 <= nr < h and 0 <= nc < w:
                    nxt = nr * w + nc
                    if not seen[nxt] and flat[nxt] == "#":
                        seen[nxt] = 1
                        stack.append(nxt)
print(islands)
