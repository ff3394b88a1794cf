n = int(input())
badges = list(map(int, input().split()))
seen = []
for b in badges:
    if b not in seen:
        seen.append(b)
print(len(seen))
