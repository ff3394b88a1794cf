import sys

data = sys.stdin.read().split()
n = int(data[0])
words = sorted(data[1:1 + n])
best, most = words[0], 0
run = 0
for i, w in enumerate(words):
    run = run + 1 if i and words[i - 1] == w else 1
    if run > most:
        best, most = w, run
print(best)
