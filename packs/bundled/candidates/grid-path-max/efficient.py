import sys

def main():
    data = sys.stdin.buffer.read().split()
    r, c = int(data[0]), int(data[1])
    values = list(map(int, data[2:2 + r * c]))
    best = values[:c]
    for j in range(1, c):
        best[j] += best[j - 1]
    for i in range(1, r):
        row = values[i * c:(i + 1) * c]
        best[0] += row[0]
        for j in range(1, c):
            left = best[j - 1]
            up = best[j]
            best[j] = (left if left > up else up) + row[j]
    print(best[-1])

main()
