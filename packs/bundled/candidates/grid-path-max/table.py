r, c = map(int, input().split())
grid = [list(map(int, input().split())) for _ in range(r)]
best = [[0] * c for _ in range(r)]
for i in range(r):
    for j in range(c):
        if i == 0 and j == 0:
            best[i][j] = grid[i][j]
        elif i == 0:
            best[i][j] = best[i][j - 1] + grid[i][j]
        elif j == 0:
            best[i][j] = best[i - 1][j] + grid[i][j]
        else:
            best[i][j] = max(best[i - 1][j], best[i][j - 1]) + grid[i][j]
print(best[r - 1][c - 1])
