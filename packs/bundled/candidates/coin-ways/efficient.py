import sys

def main():
    data = sys.stdin.read().split()
    m, amount = int(data[0]), int(data[1])
    coins = [int(x) for x in data[2:2 + m]]
    mod = 1000000007
    ways = [0] * (amount + 1)
    ways[0] = 1
    for c in coins:
        for v in range(c, amount + 1):
            ways[v] = (ways[v] + ways[v - c]) % mod
    print(ways[amount])

main()
