n, q = map(int, input().split())
a = list(map(int, input().split()))
xs = list(map(int, input().split()))
out = []
for x in xs:
    count = 0
    for p in a:
        if p <= x:
            count += 1
    out.append(count)
print(" ".join(map(str, out)))
