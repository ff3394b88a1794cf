t = input().strip()
p = input().strip()
count = 0
for i in range(len(t) - len(p) + 1):
    match = True
    for j in range(len(p)):
        if t[i + j] != p[j]:
            match = False
            break
    if match:
        count += 1
print(count)
