import sys
data = sys.stdin.read().split()
n = int(data[0])
keys = set()
for w in data[1:1 + n]:
    counts = [0] * 26
    for ch in w:
        counts[ord(ch) - 97] += 1
    keys.add(tuple(counts))
print(len(keys))
