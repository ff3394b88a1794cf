n = int(input())
segs = sorted(tuple(map(int, input().split())) for _ in range(n + 1))
total = 0
cl, cr = segs[0]
for l, r in segs[1:]:
    if l > cr:
        total += cr - cl
        cl, cr = l, r
    else:
        cr = max(cr, r)
print(total + cr - cl)
