import sys

def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    weights = sorted(map(int, data[2:2 + n]))
    print(weights[k - 1])

main()
