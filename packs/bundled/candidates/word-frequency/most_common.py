import sys
from collections import Counter

data = sys.stdin.read().split()
n = int(data[0])
print(Counter(data[1:1 + n]).most_common(1)[0][0])
