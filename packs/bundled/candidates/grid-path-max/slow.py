import sys

sys.setrecursionlimit(10000)
r, c = map(int, input().split())
grid = [list(map(int, input().split())) for _ in range(r)]

def best(i, j):
    if i == r - 1 and j == c - 1:
        return grid[i][j]
    options = []
    if i + 1 < r:
        options.append(best(i + 1, j))
    if j + 1 < c:
        options.append(best(i, j + 1))
    return grid[i][j] + max(options)

print(best(0, 0))
