#include <iostream>
#include <string>
#include <algorithm>
int main() {
    std::string s;
    std::cin >> s;
    int last[256];
    std::fill(last, last + 256, -1);
    int left = 0, best = 0;
    for (int i = 0; i < (int)s.size(); i++) {
        unsigned char c = s[i];
        left = std::max(left, last[c] + 1);
        last[c] = i;
        best = std::max(best, i - left + 1);
    }
    std::cout << best << "\n";
}
