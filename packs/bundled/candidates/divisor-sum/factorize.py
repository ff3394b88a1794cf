import sys

def sigma(n):
    total = 1
    p = 2
    while p * p <= n:
        if n % p == 0:
            term = power = 1
            while n % p == 0:
                n //= p
                power *= p
                term += power
            total *= term
        p += 1
    if n > 1:
        total *= 1 + n
    return total

data = sys.stdin.read().split()
t = int(data[0])
print("\n".join(str(sigma(int(x))) for x in data[1:1 + t]))
