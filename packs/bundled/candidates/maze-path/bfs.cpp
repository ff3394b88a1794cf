#include <iostream>
#include <string>
#include <vector>
#include <queue>
int main() {
    int h, w;
    std::cin >> h >> w;
    std::vector<std::string> g(h);
    for (auto& row : g) std::cin >> row;
    std::vector<int> dist(h * w, -1);
    int s = 0, t = 0;
    for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
        if (g[r][c] == 'S') s = r * w + c;
        if (g[r][c] == 'T') t = r * w + c;
    }
    std::queue<int> q;
    q.push(s); dist[s] = 0;
    int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
    while (!q.empty()) {
        int cur = q.front(); q.pop();
        int r = cur / w, c = cur % w;
        for (int k = 0; k < 4; k++) {
            int nr = r + dr[k], nc = c + dc[k];
            if (nr < 0 || nc < 0 || nr >= h || nc >= w || g[nr][nc] == '#' || dist[nr * w + nc] != -1) continue;
            dist[nr * w + nc] = dist[cur] + 1;
            q.push(nr * w + nc);
        }
    }
    std::cout << dist[t] << "\n";
}
