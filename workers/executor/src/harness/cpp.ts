// Turns a C++ submission into the translation unit that gets compiled, per problem kind.
// Functional and assert harnesses report to fd 3 (the runner's status file), like the Python ones:
// "R<json>" for a return value, "D" when the assert test code ran to its end, "I" for bad input.

const FUNCTIONAL_PRELUDE = "#include <bits/stdc++.h>\nusing namespace std;\n";

// Reads each stdin line as one JSON argument into the parameter's type and prints the result as JSON.
const FUNCTIONAL_HARNESS = String.raw`
#include <unistd.h>
namespace frontier_harness {
struct In {
  const std::string& s; size_t i = 0;
  void ws() { while (i < s.size() && isspace((unsigned char)s[i])) i++; }
  char peek() { ws(); return i < s.size() ? s[i] : 0; }
  [[noreturn]] void fail() { ::write(3, "Ibad JSON argument", 18); _exit(0); }
  void expect(char c) { if (peek() != c) fail(); i++; }
};
inline void put_utf8(std::string& o, unsigned cp) {
  if (cp < 0x80) o += (char)cp;
  else if (cp < 0x800) { o += (char)(0xC0 | (cp >> 6)); o += (char)(0x80 | (cp & 0x3F)); }
  else if (cp < 0x10000) { o += (char)(0xE0 | (cp >> 12)); o += (char)(0x80 | ((cp >> 6) & 0x3F)); o += (char)(0x80 | (cp & 0x3F)); }
  else { o += (char)(0xF0 | (cp >> 18)); o += (char)(0x80 | ((cp >> 12) & 0x3F)); o += (char)(0x80 | ((cp >> 6) & 0x3F)); o += (char)(0x80 | (cp & 0x3F)); }
}
inline std::string read_string(In& in) {
  in.expect('"'); std::string v;
  while (in.i < in.s.size() && in.s[in.i] != '"') {
    char c = in.s[in.i++];
    if (c != '\\') { v += c; continue; }
    if (in.i >= in.s.size()) in.fail();
    char e = in.s[in.i++];
    switch (e) {
      case 'n': v += '\n'; break; case 't': v += '\t'; break; case 'r': v += '\r'; break;
      case 'b': v += '\b'; break; case 'f': v += '\f'; break;
      case 'u': { if (in.i + 4 > in.s.size()) in.fail(); unsigned cp = std::stoul(in.s.substr(in.i, 4), nullptr, 16); in.i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && in.i + 6 <= in.s.size() && in.s[in.i] == '\\' && in.s[in.i + 1] == 'u') {
          unsigned lo = std::stoul(in.s.substr(in.i + 2, 4), nullptr, 16); in.i += 6; cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); }
        put_utf8(v, cp); break; }
      default: v += e;
    }
  }
  in.expect('"');
  return v;
}
inline void read(In& in, bool& v) {
  in.ws();
  if (in.s.compare(in.i, 4, "true") == 0) { v = true; in.i += 4; }
  else if (in.s.compare(in.i, 5, "false") == 0) { v = false; in.i += 5; }
  else in.fail();
}
inline void read(In& in, std::string& v) { v = read_string(in); }
inline void read(In& in, char& v) { std::string t = read_string(in); v = t.empty() ? 0 : t[0]; }
template <class T> std::enable_if_t<std::is_arithmetic_v<T>> read(In& in, T& v) {
  in.ws(); const char* b = in.s.c_str() + in.i; char* e = nullptr;
  if constexpr (std::is_floating_point_v<T>) v = (T)strtod(b, &e); else v = (T)strtoll(b, &e, 10);
  if (e == b) in.fail();
  in.i += e - b;
}
template <class T> void read(In& in, std::vector<T>& v) {
  in.expect('['); v.clear();
  if (in.peek() == ']') { in.i++; return; }
  while (true) {
    T x; read(in, x); v.push_back(std::move(x));
    char c = in.peek(); in.i++;
    if (c == ']') break;
    if (c != ',') in.fail();
  }
}
inline void write(std::string& o, bool v) { o += v ? "true" : "false"; }
inline void write(std::string& o, const std::string& v) {
  o += '"';
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') { o += '\\'; o += (char)c; }
    else if (c == '\n') o += "\\n"; else if (c == '\t') o += "\\t"; else if (c == '\r') o += "\\r";
    else if (c < 0x20) { char buf[8]; snprintf(buf, sizeof buf, "\\u%04x", c); o += buf; }
    else o += (char)c;
  }
  o += '"';
}
inline void write(std::string& o, const char* v) { write(o, std::string(v)); }
inline void write(std::string& o, char v) { write(o, std::string(1, v)); }
template <class T> std::enable_if_t<std::is_arithmetic_v<T>> write(std::string& o, T v) {
  if constexpr (std::is_floating_point_v<T>) { char buf[64]; snprintf(buf, sizeof buf, "%.17g", (double)v); o += buf; }
  else o += std::to_string(v);
}
template <class T> void write(std::string& o, const std::vector<T>& v) {
  o += '[';
  for (size_t k = 0; k < v.size(); k++) { if (k) o += ','; write(o, (T)v[k]); }
  o += ']';
}
inline void emit(const std::string& json) {
  std::string out = "R" + json; size_t done = 0;
  while (done < out.size()) { ssize_t n = ::write(3, out.data() + done, out.size() - done); if (n <= 0) break; done += n; }
}
inline std::vector<std::string> argument_lines() {
  std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::vector<std::string> lines; std::string line; std::istringstream ss(all);
  while (std::getline(ss, line)) if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
  return lines;
}
template <class... A, size_t... I> std::tuple<std::decay_t<A>...> parse_args(std::index_sequence<I...>) {
  std::vector<std::string> lines = argument_lines();
  if (lines.size() != sizeof...(A)) { ::write(3, "Iwrong number of arguments", 26); _exit(0); }
  std::tuple<std::decay_t<A>...> args;
  (void)std::initializer_list<int>{([&] { In in{lines[I]}; read(in, std::get<I>(args)); }(), 0)...};
  return args;
}
template <class R, class F, class Tuple> void call_and_emit(F&& f, Tuple& args) {
  if constexpr (std::is_void_v<R>) { std::apply(f, args); emit("null"); }
  else { std::string o; write(o, std::apply(f, args)); emit(o); }
}
template <class C, class R, class... A> void invoke(R (C::*method)(A...)) {
  auto args = parse_args<A...>(std::index_sequence_for<A...>{}); C object;
  call_and_emit<R>([&](auto&... a) -> R { return (object.*method)(a...); }, args);
}
template <class C, class R, class... A> void invoke(R (C::*method)(A...) const) {
  auto args = parse_args<A...>(std::index_sequence_for<A...>{}); C object;
  call_and_emit<R>([&](auto&... a) -> R { return (object.*method)(a...); }, args);
}
template <class R, class... A> void invoke(R (*function)(A...)) {
  auto args = parse_args<A...>(std::index_sequence_for<A...>{});
  call_and_emit<R>([&](auto&... a) -> R { return function(a...); }, args);
}
}  // namespace frontier_harness
`;

// The test code keeps its own `main` (so it keeps its implicit `return 0`); the linker routes the
// program's entry through this wrapper, which marks completion when that main returns 0.
const ASSERT_HARNESS = `
#include <unistd.h>
extern "C" int __real_main(int, char**);
extern "C" int __wrap_main(int argc, char** argv) { int rc = __real_main(argc, argv); if (rc == 0) ::write(3, "D", 1); return rc; }
`;

/** Flags added to the compile of an assert problem's test unit. */
export const ASSERT_FLAGS = ["-Wl,--wrap=main"];

export function functionalSource(code: string, functionName: string): string {
  if (!/^[A-Za-z_]\w*$/.test(functionName)) throw new Error(`invalid function name '${functionName}'`);
  const target = /\b(class|struct)\s+Solution\b/.test(code) ? `&Solution::${functionName}` : `&${functionName}`;
  return `${FUNCTIONAL_PRELUDE}${code}\n${FUNCTIONAL_HARNESS}\nint main() { frontier_harness::invoke(${target}); return 0; }\n`;
}

export function assertSource(code: string, testCode: string): string {
  return `${code}\n${testCode}\n${ASSERT_HARNESS}`;
}
