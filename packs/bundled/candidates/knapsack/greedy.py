n, cap = map(int, input().split())
items = [tuple(map(int, input().split())) for _ in range(n)]
items.sort(key=lambda it: it[1] / it[0], reverse=True)
total = 0
for w, v in items:
    if w <= cap:
        cap -= w
        total += v
print(total)
