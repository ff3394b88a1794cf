n = int(input())
painted = set()
for _ in range(n):
    l, r = map(int, input().split())
    painted.update(range(l, r))
print(len(painted))
