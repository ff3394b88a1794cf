s = input().strip()
last = {}
left = best = 0
for i, ch in enumerate(s):
    prev = last.get(ch, -1)
    if prev >= left:
        left = prev + 1
    last[ch] = i
    if i - left + 1 > best:
        best = i - left + 1
print(best)
