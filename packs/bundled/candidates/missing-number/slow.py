n = int(input())
seen = list(map(int, input().split()))
for v in range(1, n + 1):
    if v not in seen:
        print(v)
        break
