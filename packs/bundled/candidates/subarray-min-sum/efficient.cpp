#include <iostream>
#include <vector>
int main() {
    std::ios::sync_with_stdio(false);
    int n;
    std::cin >> n;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    std::vector<int> left(n), right(n), st;
    for (int i = 0; i < n; i++) {
        while (!st.empty() && a[st.back()] >= a[i]) st.pop_back();
        left[i] = st.empty() ? -1 : st.back();
        st.push_back(i);
    }
    st.clear();
    for (int i = n - 1; i >= 0; i--) {
        while (!st.empty() && a[st.back()] > a[i]) st.pop_back();
        right[i] = st.empty() ? n : st.back();
        st.push_back(i);
    }
    const long long mod = 1000000007LL;
    long long total = 0;
    for (int i = 0; i < n; i++) {
        long long ways = (long long)(i - left[i]) * (right[i] - i) % mod;
        total = (total + a[i] % mod * ways) % mod;
    }
    std::cout << total << "\n";
}
