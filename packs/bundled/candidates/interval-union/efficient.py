import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
segs = sorted((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
total = 0
cl, cr = segs[0]
for l, r in segs[1:]:
    if l > cr:
        total += cr - cl
        cl, cr = l, r
    elif r > cr:
        cr = r
print(total + cr - cl)
