import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = sorted(map(int, data[1:1 + n]))
best = 10**9
for i in range(n - 1):
    best = min(best, a[i + 1] - a[i])
print(best)
