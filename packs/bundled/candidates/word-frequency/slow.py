n = int(input())
words = input().split()
best = None
most = 0
for w in words:
    c = words.count(w)
    if c > most or (c == most and w < best):
        best, most = w, c
print(best)
