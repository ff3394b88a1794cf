import sys
data = sys.stdin.read().split()
t = int(data[0])
queries = [int(x) for x in data[1:1 + t]]
limit = max(queries)
sieve = [True] * limit
sieve[0] = sieve[1] = False
for i in range(2, limit):
    if sieve[i]:
        for j in range(i * i, limit, i):
            sieve[j] = False
print("\n".join(str(sum(sieve[:n]) + sieve[n]) for n in queries))
