n, k = map(int, input().split())
a = list(map(int, input().split()))
print(" ".join(str(max(a[i], a[i + k - 1])) for i in range(n - k + 1)))
