from collections import deque
n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b, w = map(int, input().split())
    adj[a].append((b, w))
    adj[b].append((a, w))
dist = [None] * (n + 1)
dist[1] = 0
q = deque([1])
while q:
    v = q.popleft()
    for u, w in adj[v]:
        if dist[u] is None:
            dist[u] = dist[v] + 1
            q.append(u)
print(dist[n])
