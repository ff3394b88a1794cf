t = input().strip()
p = input().strip()
print(1 if p in t else 0)
