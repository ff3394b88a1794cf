t = input().strip()
p = input().strip()
fail = [0] * len(p)
k = 0
for i in range(1, len(p)):
    while k and p[i] != p[k]:
        k = fail[k - 1]
    if p[i] == p[k]:
        k += 1
    fail[i] = k
count = k = 0
for ch in t:
    while k and ch != p[k]:
        k = fail[k - 1]
    if ch == p[k]:
        k += 1
    if k == len(p):
        count += 1
        k = fail[k]
print(count)
