import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
for i in range(m):
    adj[int(data[2 + 2 * i])].append(int(data[3 + 2 * i]))
state = [0] * (n + 1)

def acyclic(v):
    state[v] = 1
    for u in adj[v]:
        if state[u] == 1 or (state[u] == 0 and not acyclic(u)):
            return False
    state[v] = 2
    return True

print("YES" if all(state[v] or acyclic(v) for v in range(1, n + 1)) else "NO" + 1)
