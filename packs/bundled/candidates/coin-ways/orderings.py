import sys

def main():
    data = sys.stdin.read().split()
    m, amount = int(data[0]), int(data[1])
    coins = [int(x) for x in data[2:2 + m]]
    mod = 1000000007
    ways = [0] * (amount + 1)
    ways[0] = 1
    for v in range(1, amount + 1):
        total = 0
        for c in coins:
            if c <= v:
                total += ways[v - c]
        ways[v] = total % mod
    print(ways[amount])

main()
