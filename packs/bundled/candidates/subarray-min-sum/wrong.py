n = int(input())
a = list(map(int, input().split()))
print(min(a) * n * (n + 1) // 2 % 1000000007)
