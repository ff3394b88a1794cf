#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) scanf("%lld", &x);
    std::vector<long long> v(a);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    std::vector<int> tree(v.size() + 1, 0);
    long long inv = 0;
    for (int i = n - 1; i >= 0; i--) {
        int r = std::lower_bound(v.begin(), v.end(), a[i]) - v.begin() + 1;
        for (int k = r - 1; k > 0; k -= k & -k) inv += tree[k];
        for (int k = r; k <= (int)v.size(); k += k & -k) tree[k]++;
    }
    printf("%lld\n", inv);
}
