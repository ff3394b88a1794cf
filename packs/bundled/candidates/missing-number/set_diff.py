n = int(input())
line = input().split() if n > 1 else []
print((set(range(1, n + 1)) - set(map(int, line))).pop())
