n = int(input())
seen = list(map(int, input().split()))
print(n - len(seen))
