#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<std::pair<long long, long long>> v(n);
    for (auto& [s, e] : v) scanf("%lld %lld", &s, &e);
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second < b.second; });
    long long end = -1; int count = 0;
    for (auto& [s, e] : v) if (s >= end) { count++; end = e; }
    printf("%d\n", count);
}
