import sys
from itertools import accumulate

data = sys.stdin.read().split()
t = int(data[0])
queries = [int(x) for x in data[1:1 + t]]
limit = max(queries)
sieve = bytearray([1]) * (limit + 1)
sieve[0] = 0
if limit >= 1:
    sieve[1] = 0
i = 2
while i * i <= limit:
    if sieve[i]:
        sieve[i * i::i] = bytes(len(range(i * i, limit + 1, i)))
    i += 1
counts = list(accumulate(sieve))
print("\n".join(str(counts[n]) for n in queries))
