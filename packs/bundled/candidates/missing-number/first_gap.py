import sys

data = sys.stdin.read().split()
n = int(data[0])
seen = sorted(int(x) for x in data[1:n])
answer = len(seen)
for i, v in enumerate(seen):
    if v != i + 1:
        answer = i + 1
        break
print(answer)
