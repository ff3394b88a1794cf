import sys
data = sys.stdin.read().split()
t = int(data[0])
out = []
for x in data[1:1 + t]:
    n = int(x)
    z, p = 0, 5
    while p <= n:
        z += n // p
        p *= 5
    out.append(z)
print("\n".join(map(str, out)))
