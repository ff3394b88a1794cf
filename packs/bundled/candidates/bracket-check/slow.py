t = int(input())
for _ in range(t):
    s = input().strip()
    while True:
        shorter = s.replace("()", "", 1).replace("[]", "", 1).replace("{}", "", 1)
        if shorter == s:
            break
        s = shorter
    print("YES" if s == "" else "NO")
