import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
a = sorted(set(map(int, data[1:1 + n])))
print(min(a[i + 1] - a[i] for i in range(n - 1)))
