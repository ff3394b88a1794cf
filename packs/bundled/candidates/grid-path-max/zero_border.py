import sys

def main():
    data = sys.stdin.buffer.read().split()
    r, c = int(data[0]), int(data[1])
    values = list(map(int, data[2:2 + r * c]))
    best = [0] * (c + 1)
    for i in range(r):
        row = values[i * c:(i + 1) * c]
        for j in range(c):
            best[j + 1] = max(best[j], best[j + 1]) + row[j]
    print(best[c])

main()
