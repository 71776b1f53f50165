#include "tools/verify/suite.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

namespace vigil::verify {

namespace fs = std::filesystem;

namespace {

std::string NameOf(const fs::path& dir) {
  const std::string s = dir.lexically_normal().generic_string();
  const size_t pos = s.rfind("/tests/");
  std::string name = pos == std::string::npos ? dir.filename().string() : s.substr(pos + 7);
  while (!name.empty() && name.back() == '/') name.pop_back();
  return name;
}

void Walk(const fs::path& root, const fs::path& dir, std::vector<TestRef>* out, int depth) {
  if (depth > 16) return;
  std::error_code ec;
  if (fs::exists(dir / "test.yaml", ec)) {
    out->push_back({dir, fs::relative(dir, root, ec).generic_string()});
    return;
  }
  std::vector<fs::path> subdirs;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) subdirs.push_back(e.path());
  }
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& d : subdirs) Walk(root, d, out, depth + 1);
}

}  // namespace

Result<std::vector<TestRef>> DiscoverTests(const std::vector<std::string>& paths, const std::string& name_filter) {
  std::vector<TestRef> all;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::path dir(p);
    if (!fs::is_directory(dir, ec)) return Error(ErrorCode::kNotFound, p + ": not a directory");
    if (fs::exists(dir / "test.yaml", ec)) {
      all.push_back({dir, NameOf(fs::absolute(dir, ec))});
      continue;
    }
    const fs::path root = fs::is_directory(dir / "tests", ec) ? dir / "tests" : dir;
    Walk(root, root, &all, 0);
  }
  std::vector<TestRef> out;
  for (TestRef& t : all) {
    if (name_filter.empty() || t.name.find(name_filter) != std::string::npos) out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const TestRef& a, const TestRef& b) { return a.name < b.name; });
  return out;
}

std::vector<TestResult> RunSuite(const std::vector<TestRef>& tests, const RunnerOptions& options, int jobs,
                                 const std::function<void(const TestResult&)>& on_result) {
  std::vector<TestResult> results(tests.size());
  std::vector<char> done(tests.size(), 0);
  std::atomic<size_t> next{0};
  std::mutex mu;
  size_t reported = 0;
  auto worker = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= tests.size()) return;
      TestResult r = RunTest(tests[i], options, i);
      std::lock_guard<std::mutex> lock(mu);
      results[i] = std::move(r);
      done[i] = 1;
      // Report in suite order: everything finished up to the first test still running.
      while (reported < tests.size() && done[reported]) on_result(results[reported++]);
    }
  };
  const int n = std::max(1, std::min<int>(jobs, static_cast<int>(std::max<size_t>(tests.size(), 1))));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace vigil::verify
