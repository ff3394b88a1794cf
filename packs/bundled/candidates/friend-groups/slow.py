n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    t, a, b = map(int, input().split())
    if t == 0:
        adj[a].append(b)
        adj[b].append(a)
        continue
    seen = {a}
    stack = [a]
    while stack:
        v = stack.pop()
        for u in adj[v]:
            if u not in seen:
                seen.add(u)
                stack.append(u)
    print("YES" if b in seen else "NO")
