import sys
data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
prefix = [0]
for x in a:
    prefix.append(prefix[-1] + x)
pos = 2 + n
for _ in range(q):
    l, r = int(data[pos]), int(data[pos + 1])
    pos += 2
    print(prefix[r] - prefix[l])
