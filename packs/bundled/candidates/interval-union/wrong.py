n = int(input())
total = 0
for _ in range(n):
    l, r = map(int, input().split())
    total += r - l
print(total)
