n = int(input())
h = list(map(int, input().split()))
out = [-1] * n
stack = []
for i, x in enumerate(h):
    while h[stack[-1]] < x:
        out[stack.pop()] = x
    stack.append(i)
print(" ".join(map(str, out)))
