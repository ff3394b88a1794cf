n = int(input())
a = list(map(int, input().split()))
total = 0
for i in range(n):
    low = a[i]
    for j in range(i, n):
        if a[j] < low:
            low = a[j]
        total += low
print(total % 1000000007)
