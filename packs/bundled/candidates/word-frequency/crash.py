n = int(input())
words = input().split()
counts = {}
for w in words:
    counts[w] += 1
print(max(counts, key=counts.get))
