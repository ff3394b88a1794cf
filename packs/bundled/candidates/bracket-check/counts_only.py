t = int(input())
for _ in range(t):
    s = input().strip()
    ok = True
    for open_, close in ("()", "[]", "{}"):
        depth = 0
        for ch in s:
            if ch == open_:
                depth += 1
            elif ch == close:
                depth -= 1
                if depth < 0:
                    ok = False
        if depth != 0:
            ok = False
    print("YES" if ok else "NO")
