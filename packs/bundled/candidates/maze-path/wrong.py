h, w = map(int, input().split())
print(h + w - 2)
