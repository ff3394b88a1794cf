MOD = 10**9 + 7
t = int(input())
for _ in range(t):
    n = int(input())
    a, b = 1, 1
    for _ in range(n % 1000):
        a, b = b, (a + b) % MOD
    print(a)
