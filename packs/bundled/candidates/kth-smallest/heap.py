import heapq
import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
print(heapq.nsmallest(k, map(int, data[2:2 + n]))[-1])
