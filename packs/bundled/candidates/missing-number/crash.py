n = int(input())
seen = list(map(int, input().split()))
flags = [False] * n
for v in seen:
    flags[v] = True
print(flags.index(False))
