#include <cstdio>
#include <vector>
int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 0;
    std::vector<std::vector<int>> adj(n + 1);
    std::vector<int> indeg(n + 1, 0);
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); adj[a].push_back(b); indeg[b]++; }
    std::vector<int> q;
    for (int v = 1; v <= n; v++) if (!indeg[v]) q.push_back(v);
    for (size_t i = 0; i < q.size(); i++) for (int u : adj[q[i]]) if (!--indeg[u]) q.push_back(u);
    puts((int)q.size() == n ? "YES" : "NO");
}
