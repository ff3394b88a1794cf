import math
import sys
sys.set_int_max_str_digits(0)
t = int(input())
for _ in range(t):
    s = str(math.factorial(int(input())))
    print(len(s) - len(s.rstrip("0")))
