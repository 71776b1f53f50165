#include "correlator/tier/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace vigil::correlator {

Result<std::shared_ptr<const RuleSet>> LoadCorrelationRules(std::string_view paths) {
  namespace fs = std::filesystem;
  RuleSetBuilder builder;
  size_t files = 0;
  size_t start = 0;
  while (start <= paths.size()) {
    size_t comma = paths.find(',', start);
    if (comma == std::string_view::npos) comma = paths.size();
    std::string item(paths.substr(start, comma - start));
    start = comma + 1;
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty()) continue;
    std::error_code ec;
    std::vector<std::string> list;
    if (fs::is_directory(item, ec)) {
      for (const auto& e : fs::directory_iterator(item, ec)) {
        const auto ext = e.path().extension();
        if (e.is_regular_file(ec) && (ext == ".yml" || ext == ".yaml")) list.push_back(e.path().string());
      }
      if (ec) return Error(ErrorCode::kIo, "cannot list rule directory " + item + ": " + ec.message());
      std::sort(list.begin(), list.end());
    } else {
      list.push_back(item);
    }
    for (const auto& f : list) {
      if (!builder.AddFile(f)) return Error(ErrorCode::kIo, "cannot read rule file " + f);
      ++files;
    }
  }
  if (files == 0 && paths.find_first_not_of(" \t,") == std::string_view::npos) {
    VIGIL_TRY(RuleSet empty, builder.Build());  // no rules asked for: an empty set
    return std::make_shared<const RuleSet>(std::move(empty));
  }
  if (files == 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "no correlation rule files in '" + std::string(paths) + "'");
  }
  VIGIL_TRY(RuleSet rules, builder.Build());
  return std::make_shared<const RuleSet>(std::move(rules));
}

}  // namespace vigil::correlator
