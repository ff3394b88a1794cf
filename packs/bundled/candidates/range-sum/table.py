import sys
data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
# every range sum precomputed: O(n^2) memory
table = [[0] * (n + 1) for _ in range(n + 1)]
for l in range(n):
    running = 0
    row = table[l + 1]
    for r in range(l, n):
        running += a[r]
        row[r + 1] = running
pos = 2 + n
out = []
for _ in range(q):
    l, r = int(data[pos]), int(data[pos + 1])
    pos += 2
    out.append(table[l][r])
print("\n".join(map(str, out)))
