s = input().strip()
best = 0
for i in range(len(s)):
    seen = set()
    for j in range(i, len(s)):
        if s[j] in seen:
            break
        seen.add(s[j])
    best = max(best, len(seen))
print(best)
