import sys
from math import isqrt
data = sys.stdin.read().split()
t = int(data[0])
out = []
for x in data[1:1 + t]:
    n = int(x)
    total = 0
    for d in range(1, isqrt(n) + 1):
        if n % d == 0:
            total += d + n // d
    out.append(total if n > 1 else 1)
print("\n".join(map(str, out)))
