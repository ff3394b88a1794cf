t = int(input())
for _ in range(t):
    n = int(input())
    print(sum(d for d in range(1, int(n ** 0.5) + 1) if n % d == 0))
