n = int(input())
badges = list(map(int, input().split()))
counts = [0] * (max(badges) + 1)
for b in badges:
    counts[b] += 1
print(sum(1 for c in counts if c) + badges[n])
