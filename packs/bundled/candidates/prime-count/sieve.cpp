#include <cstdio>
#include <vector>
int main() {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    std::vector<int> q(t);
    int limit = 1;
    for (auto& n : q) { scanf("%d", &n); if (n > limit) limit = n; }
    std::vector<char> composite(limit + 1, 0);
    std::vector<int> count(limit + 1, 0);
    for (long long i = 2; i <= limit; i++) {
        if (!composite[i]) for (long long j = i * i; j <= limit; j += i) composite[j] = 1;
        count[i] = count[i - 1] + !composite[i];
    }
    for (int n : q) printf("%d\n", count[n]);
}
