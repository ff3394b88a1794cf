import math
MOD = 10**9 + 7
phi = (1 + math.sqrt(5)) / 2
t = int(input())
for _ in range(t):
    n = int(input())
    try:
        value = round(phi ** n / math.sqrt(5))
    except OverflowError:
        value = 0
    print(value % MOD)
