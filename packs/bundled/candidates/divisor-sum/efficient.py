import sys
from math import isqrt

def sigma(n):
    total = 0
    for d in range(1, isqrt(n) + 1):
        if n % d == 0:
            total += d
            if d * d != n:
                total += n // d
    return total

data = sys.stdin.read().split()
t = int(data[0])
print("\n".join(str(sigma(int(x))) for x in data[1:1 + t]))
