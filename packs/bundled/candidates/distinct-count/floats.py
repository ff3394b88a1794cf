import sys

data = sys.stdin.read().split()
n = int(data[0])
values = set()
for token in data[1:1 + n]:
    values.add(float(token))
print(len(values))
