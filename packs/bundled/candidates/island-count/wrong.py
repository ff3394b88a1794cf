h, w = map(int, input().split())
g = [input().strip() for _ in range(h)]
print(sum(row.count("#") for row in g))
