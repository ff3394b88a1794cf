t = int(input())
for _ in range(t):
    a, b, m = map(int, input().split())
    r = 1 % m
    for _ in range(b):
        r = r * a % m
    print(r)
