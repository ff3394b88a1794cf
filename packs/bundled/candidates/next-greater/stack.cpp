#include <cstdio>
#include <vector>
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> h(n), out(n, -1);
    for (auto& x : h) scanf("%lld", &x);
    std::vector<int> st;
    for (int i = 0; i < n; i++) {
        while (!st.empty() && h[st.back()] < h[i]) { out[st.back()] = h[i]; st.pop_back(); }
        st.push_back(i);
    }
    for (int i = 0; i < n; i++) printf("%lld%c", out[i], i + 1 == n ? '\n' : ' ');
}
