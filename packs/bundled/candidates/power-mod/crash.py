import sys
sys.setrecursionlimit(100)

def power(a, b, m):
    if b == 0:
        return 1 % m
    return a * power(a, b - 1, m) % m

t = int(input())
for _ in range(t):
    a, b, m = map(int, input().split())
    print(power(a, b, m) // (b - b))
