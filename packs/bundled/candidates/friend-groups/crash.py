n, m = map(int, input().split())
parent = list(range(n))

def find(x):
    while parent[x] != x:
        x = parent[x]
    return x

for _ in range(m):
    t, a, b = map(int, input().split())
    if t == 0:
        parent[find(a)] = find(b)
    else:
        print("YES" if find(a) == find(b) else "NO")
