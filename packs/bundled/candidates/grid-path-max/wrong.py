r, c = map(int, input().split())
grid = [list(map(int, input().split())) for _ in range(r)]
print(sum(max(row) for row in grid))
