#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) scanf("%lld", &x);
    std::sort(a.begin(), a.end());
    for (int i = 0; i < q; i++) {
        long long x;
        scanf("%lld", &x);
        printf("%d%c", (int)(std::upper_bound(a.begin(), a.end(), x) - a.begin()), i + 1 == q ? '\n' : ' ');
    }
}
