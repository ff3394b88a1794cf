import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
parent = list(range(n + 1))

def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x

out = []
for i in range(m):
    t, a, b = data[2 + 3 * i], int(data[3 + 3 * i]), int(data[4 + 3 * i])
    if t == b"0":
        parent[find(a)] = find(b)
    else:
        out.append("YES" if find(a) == find(b) else "NO")
print("\n".join(out))
