import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
h = list(map(int, data[1:1 + n]))
out = [-1] * n
stack = []
for i, x in enumerate(h):
    while stack and h[stack[-1]] < x:
        out[stack.pop()] = x
    stack.append(i)
print(" ".join(map(str, out)))
