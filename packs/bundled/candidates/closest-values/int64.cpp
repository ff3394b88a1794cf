#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<unsigned long long> a(n);
    for (auto& x : a) scanf("%llu", &x);
    std::sort(a.begin(), a.end());
    unsigned long long best = ~0ULL;
    for (int i = 0; i + 1 < n; i++) best = std::min(best, a[i + 1] - a[i]);
    printf("%llu\n", best);
}
