import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
indeg = [0] * (n + 1)
for i in range(m):
    a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    adj[a].append(b)
    indeg[b] += 1
queue = [v for v in range(1, n + 1) if indeg[v] == 0]
for v in queue:
    for u in adj[v]:
        indeg[u] -= 1
        if indeg[u] == 0:
            queue.append(u)
print("YES" if len(queue) == n else "NO")
