n = int(input())
h = list(map(int, input().split()))
out = []
for i in range(n):
    found = -1
    for j in range(i + 1, n):
        if h[j] > h[i]:
            found = h[j]
            break
    out.append(found)
print(" ".join(map(str, out)))
