import sys
data = sys.stdin.read().split()
n = int(data[0])
print(len({(len(w), sum(map(ord, w))) for w in data[1:1 + n]}))
