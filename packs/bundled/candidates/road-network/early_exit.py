import sys, heapq
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
for i in range(m):
    a, b, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
    adj[a].append((b, w))
    adj[b].append((a, w))
dist = {1: 0}
heap = [(0, 1)]
while heap:
    d, v = heapq.heappop(heap)
    for u, w in adj[v]:
        if u not in dist:
            dist[u] = d + w
            if u == n:
                heap = []
                break
            heapq.heappush(heap, (dist[u], u))
print(dist[n])
