t = int(input())
for _ in range(t):
    n = int(input())
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    print(sum(divisors) // (len(divisors) - 2))
