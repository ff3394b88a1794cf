import sys
from collections import Counter

def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    counts = Counter(data[1:1 + n])
    most = max(counts.values())
    print(min(w for w, c in counts.items() if c == most))

main()
