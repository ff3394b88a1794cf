import math
t = int(input())
for _ in range(t):
    n = int(input())
    print(sum(n // 5 ** k for k in range(1, int(math.log(n, 5)) + 1)))
