import sys
data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
# every range sum precomputed in a flat (n+1) x (n+1) table: O(n^2) memory
w = n + 1
table = [0] * (w * w)
for l in range(n):
    running = 0
    for r in range(l, n):
        running += a[r]
        table[(l + 1) * w + r + 1] = running
pos = 2 + n
out = []
for _ in range(q):
    l, r = int(data[pos]), int(data[pos + 1])
    pos += 2
    out.append(table[l * w + r])
print("\n".join(map(str, out)))
