s = input().strip()
best = 0
for i in range(len(s)):
    seen = set()
    clean = True
    for j in range(i, len(s)):
        if s[j] in seen:
            clean = False
        seen.add(s[j])
        if clean and j - i + 1 > best:
            best = j - i + 1
print(best)
