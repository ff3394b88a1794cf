t = int(input())
for _ in range(t):
    s = input().strip()
    print("YES" if len(s) % 2 == 0 else "NO")
