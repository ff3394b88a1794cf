import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
segs = sorted((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
end = -1
count = 0
for s, e in segs:
    if s >= end:
        count += 1
        end = e
print(count)
