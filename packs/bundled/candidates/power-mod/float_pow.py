t = int(input())
for _ in range(t):
    a, b, m = map(int, input().split())
    try:
        print(int(float(a) ** b) % m)
    except OverflowError:
        print(0)
