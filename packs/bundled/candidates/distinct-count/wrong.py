n = int(input())
badges = input().split()
print(n - 1 if len(badges) > 1 else n)
