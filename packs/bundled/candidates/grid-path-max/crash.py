r, c = map(int, input().split())
grid = [list(map(int, input().split())) for _ in range(r)]
best = [[0] * c for _ in range(r)]
for i in range(r):
    for j in range(c):
        best[i][j] = grid[i][j] + max(best[i - 1][j], best[i][j - 1])
print(best[r][c - 1])
