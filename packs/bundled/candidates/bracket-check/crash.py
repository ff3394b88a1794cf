PAIRS = {")": "(", "]": "[", "}": "{"}
t = int(input())
for _ in range(t):
    s = input().strip()
    stack = []
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif stack.pop() != PAIRS[ch]:
            break
    print("YES" if not stack else "NO")
