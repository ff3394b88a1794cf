#include <cstdio>
typedef unsigned long long u64;
int main() {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    while (t--) {
        u64 a, b, m;
        scanf("%llu %llu %llu", &a, &b, &m);
        u64 r = 1 % m;
        a %= m;
        while (b) { if (b & 1) r = r * a % m; a = a * a % m; b >>= 1; }
        printf("%llu\n", r);
    }
}
