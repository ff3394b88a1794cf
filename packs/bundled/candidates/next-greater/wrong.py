n = int(input())
h = list(map(int, input().split()))
print(" ".join(str(h[i + 1] if i + 1 < n and h[i + 1] > h[i] else -1) for i in range(n)))
