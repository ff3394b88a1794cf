import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
edges = set()
for i in range(m):
    edges.add((int(data[2 + 2 * i]), int(data[3 + 2 * i])))
print("NO" if any((b, a) in edges or a == b for a, b in edges) else "YES")
