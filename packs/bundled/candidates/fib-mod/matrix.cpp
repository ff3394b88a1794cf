#include <cstdio>
typedef unsigned long long u64;
const u64 MOD = 1000000007ULL;
struct M { u64 a, b, c, d; };
M mul(M x, M y) {
    return { (x.a * y.a + x.b * y.c) % MOD, (x.a * y.b + x.b * y.d) % MOD,
             (x.c * y.a + x.d * y.c) % MOD, (x.c * y.b + x.d * y.d) % MOD };
}
int main() {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    while (t--) {
        u64 n;
        scanf("%llu", &n);
        M r = {1, 0, 0, 1}, base = {1, 1, 1, 0};
        while (n) { if (n & 1) r = mul(r, base); base = mul(base, base); n >>= 1; }
        printf("%llu\n", r.b);
    }
}
