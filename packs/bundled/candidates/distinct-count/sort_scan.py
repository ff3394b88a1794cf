import sys

data = sys.stdin.read().split()
n = int(data[0])
badges = sorted(int(x) for x in data[1:1 + n])
count = 1
for i in range(1, n):
    if badges[i] != badges[i - 1]:
        count += 1
print(count)
