import sys
data = sys.stdin.read().split()
n, cap = int(data[0]), int(data[1])
best = [0] * (cap + 1)
for i in range(n):
    w, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    if w > cap:
        continue
    # one vectorised pass per item: best[c] = max(best[c], best[c - w] + v)
    shifted = [0] * w + [x + v for x in best[:cap + 1 - w]]
    best = list(map(max, best, shifted))
print(best[cap])
