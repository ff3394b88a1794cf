t = input().strip()
p = input().strip()
count = 0
i = t.find(p)
while i != -1:
    count += 1
    i = t.find(p, i + 1)
print(count)
