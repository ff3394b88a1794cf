t = input().strip()
p = input().strip()
s = p + "\x00" + t
z = [0] * len(s)
l = r = 0
for i in range(1, len(s)):
    if i < r:
        z[i] = min(r - i, z[i - l])
    while i + z[i] < len(s) and s[z[i]] == s[i + z[i]]:
        z[i] += 1
    if i + z[i] > r:
        l, r = i, i + z[i]
print(sum(1 for i in range(len(p) + 1, len(s)) if z[i] >= len(p)))
