import sys

def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:1 + n]]
    stack = []
    total = 0
    for i in range(n + 1):
        while stack and a[stack[-1]] > a[i]:
            stack.pop()
        stack.append(i)
        total += a[stack[0]]
    print(total)

main()
