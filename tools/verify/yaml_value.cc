#include "tools/verify/yaml_value.h"

namespace vigil::verify {

namespace {
constexpr int kMaxDepth = 64;
}

std::string YamlScalarText(const YAML::Node& node) {
  if (!node || !node.IsScalar()) return "";
  return node.Scalar();
}

ExpectedValue ExpectedFromYaml(const YAML::Node& node, int depth) {
  if (!node || node.IsNull() || depth > kMaxDepth) return ExpectedValue::Null();
  if (node.IsScalar()) {
    const std::string& tag = node.Tag();
    const std::string& text = node.Scalar();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return ExpectedValue::String(text);
    if (tag == "?" || tag.empty()) return ResolvePlainScalar(text);
    // Other explicit tags (!!int, !!bool, !!float): resolve the text; a mismatch stays a string.
    return ResolvePlainScalar(text);
  }
  if (node.IsSequence()) {
    std::vector<ExpectedValue> items;
    for (const auto& item : node) items.push_back(ExpectedFromYaml(item, depth + 1));
    return ExpectedValue::List(std::move(items));
  }
  if (node.IsMap()) {
    std::vector<std::pair<std::string, ExpectedValue>> entries;
    for (const auto& kv : node) {
      entries.emplace_back(YamlScalarText(kv.first), ExpectedFromYaml(kv.second, depth + 1));
    }
    return ExpectedValue::Map(std::move(entries));
  }
  return ExpectedValue::Null();
}

}  // namespace vigil::verify
