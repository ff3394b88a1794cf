n, m = map(int, input().split())
print("YES" if m < n else "NO")
