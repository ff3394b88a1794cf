n, m = map(int, input().split())
deps = [tuple(map(int, input().split())) for _ in range(m)]
done = [False] * (n + 1)
remaining = n
while True:
    blocked = [False] * (n + 1)
    for a, b in deps:
        if not done[a]:
            blocked[b] = True
    ready = [v for v in range(1, n + 1) if not done[v] and not blocked[v]]
    if not ready:
        break
    done[ready[0]] = True
    remaining -= 1
print("YES" if remaining == 0 else "NO")
