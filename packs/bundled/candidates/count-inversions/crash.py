n = int(input())
a = list(map(int, input().split()))
tree = [0] * n
inv = 0
for x in reversed(a):
    k = x - 1
    while k > 0:
        inv += tree[k]; k -= k & -k
    k = x
    while k <= n:
        tree[k] += 1; k += k & -k
print(inv)
