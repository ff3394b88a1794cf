import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
weights = sorted(set(map(int, data[2:2 + n])))
print(weights[min(k, len(weights)) - 1])
