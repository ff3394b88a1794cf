n, m = map(int, input().split())
friends = set()
for _ in range(m):
    t, a, b = map(int, input().split())
    if t == 0:
        friends.add((a, b)); friends.add((b, a))
    else:
        print("YES" if a == b or (a, b) in friends else "NO")
