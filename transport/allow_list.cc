#include "transport/allow_list.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace vigil::transport {
namespace {

Result<std::string> ReadFileBounded(const std::filesystem::path& p, size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(p, ec);
  if (ec) return Error(ErrorCode::kIo, "allow list " + p.string() + ": " + ec.message());
  if (size > max_bytes) return Error(ErrorCode::kLimit, "allow list " + p.string() + ": larger than limit");
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read allow list " + p.string());
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

}  // namespace

Result<AllowList> AllowList::Load(const std::string& path, const AllowListLimits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Error(ErrorCode::kNotFound, "allow list " + path + ": not found");
  AllowList list;
  std::vector<fs::path> files;
  if (fs::is_directory(st)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.is_regular_file() && e.path().filename().string().rfind('.', 0) != 0) files.push_back(e.path());
    }
    if (ec) return Error(ErrorCode::kIo, "allow list " + path + ": " + ec.message());
    std::sort(files.begin(), files.end());  // deterministic error messages
  } else {
    files.emplace_back(path);
  }
  for (const auto& f : files) {
    VIGIL_TRY(std::string text, ReadFileBounded(f, limits.max_file_bytes));
    VIGIL_CHECK_OK(list.ParseInto(text, f.string(), limits));
  }
  return list;
}

Result<AllowList> AllowList::Parse(std::string_view text, std::string_view source,
                                   const AllowListLimits& limits) {
  AllowList list;
  VIGIL_CHECK_OK(list.ParseInto(text, source, limits));
  return list;
}

Status AllowList::Add(std::string_view public_z85, PeerIdentity identity, const AllowListLimits& limits) {
  VIGIL_TRY(Key key, DecodeCurveKey(public_z85));
  const auto& id = identity.id;
  if (id.empty() || id[0] == '#' || id.size() > limits.frame.max_origin_bytes ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return Error(ErrorCode::kInvalidArgument, "identity '" + id + "' empty, too long or not printable ASCII");
  }
  if (entries_.size() >= limits.max_entries) {
    return Error(ErrorCode::kLimit, "allow list: more than " + std::to_string(limits.max_entries) + " keys");
  }
  if (entries_.count(key)) return Error(ErrorCode::kInvalidArgument, "key " + std::string(public_z85) + " listed twice");
  entries_.emplace(key, std::move(identity));
  return Ok();
}

Status AllowList::ParseInto(std::string_view text, std::string_view source, const AllowListLimits& limits) {
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    // Z85 keys may contain (and start with) '#': a token starting with '#' opens a comment,
    // except a valid key in the key position.
    std::istringstream ls(line);
    std::string key;
    PeerIdentity id;
    std::string extra;
    auto next = [&ls](std::string* tok) { return (ls >> *tok) && (*tok)[0] != '#'; };
    if (!(ls >> key)) continue;
    if (key[0] == '#' && !DecodeCurveKey(key)) continue;
    auto where = std::string(source) + ":" + std::to_string(lineno) + ": ";
    if (!next(&id.id)) return Error(ErrorCode::kParse, where + "expected '<public key> <identity> [province]'");
    if (!next(&id.province)) id.province.clear();
    else if (next(&extra)) return Error(ErrorCode::kParse, where + "unexpected '" + extra + "'");
    Status s = Add(key, std::move(id), limits);
    if (!s) return Error(s.error().code, where + s.error().message);
  }
  return Ok();
}

const PeerIdentity* AllowList::Find(const Key& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace vigil::transport
