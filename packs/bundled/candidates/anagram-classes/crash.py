import sys
data = sys.stdin.read().split()
n = int(data[0])
classes = {}
for w in data[1:1 + n]:
    classes["".join(sorted(w))] += 1
print(len(classes))
