n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b, w = map(int, input().split())
    adj[a].append((b, w))
    adj[b].append((a, w))
INF = float("inf")
dist = [INF] * (n + 1)
done = [False] * (n + 1)
dist[1] = 0
for _ in range(n):
    v = -1
    for u in range(1, n + 1):
        if not done[u] and (v == -1 or dist[u] < dist[v]):
            v = u
    done[v] = True
    for u, w in adj[v]:
        if dist[v] + w < dist[u]:
            dist[u] = dist[v] + w
print(dist[n])
