#include <cstdio>
int main() {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    while (t--) {
        unsigned long long n, z = 0;
        scanf("%llu", &n);
        while (n) { n /= 5; z += n; }
        printf("%llu\n", z);
    }
}
