s = input().strip()
last = [-1] * 26
left = best = 0
for i, ch in enumerate(s):
    k = ord(ch) - ord('a') + 26
    left = max(left, last[k] + 1)
    last[k] = i
    best = max(best, i - left + 1)
print(best)
