// libFuzzer target: arbitrary dataset files (csv of every type, json with array_key and nested
// value_key + remove_key, ndjson) through the loader, then lookups of the input's first bytes.
// The first input byte picks the format/type combination.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/signature/dataset_option.h"
#include "sensor/detect/dataset_loader.h"
#include "sensor/detect/dataset_store.h"

namespace {

const char* const kSpecs[] = {
    "isset,f,type string",
    "isset,f,type md5",
    "isset,f,type sha256",
    "isset,f,type ipv4",
    "isset,f,type ip",
    "isset,f,type string,format json,value_key a.b,array_key x.y,context_key c,remove_key",
    "isset,f,type ip,format json,value_key ip,context_key c",
    "isset,f,type string,format ndjson,value_key host,context_key c,remove_key",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using namespace vigil;
  auto spec = rules::ParseDataset(kSpecs[data[0] % (sizeof(kSpecs) / sizeof(kSpecs[0]))]);
  if (!spec.ok()) __builtin_trap();
  sensor::Dataset set("f", spec->type, 1 << 20, 64);
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)sensor::LoadDatasetText(&set, *spec, text, "fuzz");
  const size_t n = std::min<size_t>(size - 1, 32);
  (void)set.Find({data + 1, n});
  (void)set.FindSubdomain({data + 1, n});
  if (set.Add({data + 1, n}) == 1 && !set.Contains({data + 1, n})) __builtin_trap();
  return 0;
}
