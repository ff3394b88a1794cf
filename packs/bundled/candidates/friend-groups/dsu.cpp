#include <cstdio>
#include <vector>
#include <numeric>
std::vector<int> parent;
int find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 0;
    parent.resize(n + 1);
    std::iota(parent.begin(), parent.end(), 0);
    while (m--) {
        int t, a, b;
        scanf("%d %d %d", &t, &a, &b);
        if (t == 0) parent[find(a)] = find(b);
        else puts(find(a) == find(b) ? "YES" : "NO");
    }
}
