n = int(input())
reps = []
for _ in range(n):
    key = sorted(input().strip())
    if not any(key == r for r in reps):
        reps.append(key)
print(len(reps))
