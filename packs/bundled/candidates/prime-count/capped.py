import sys
LIMIT = 5000
sieve = bytearray([1]) * (LIMIT + 1)
sieve[0] = sieve[1] = 0
for i in range(2, int(LIMIT ** 0.5) + 1):
    if sieve[i]:
        sieve[i * i::i] = bytes(len(range(i * i, LIMIT + 1, i)))
prefix = [0] * (LIMIT + 1)
for i in range(1, LIMIT + 1):
    prefix[i] = prefix[i - 1] + sieve[i]
data = sys.stdin.read().split()
t = int(data[0])
print("\n".join(str(prefix[min(int(x), LIMIT)]) for x in data[1:1 + t]))
