// UniqueFile: a stdio FILE* that closes itself (RAII for fopen's handle).
//
//   UniqueFile f(std::fopen(path.c_str(), "rb"));
//   if (!f) return Error(...);
//   std::fread(buf, 1, n, f.get());
#pragma once

#include <cstdio>
#include <memory>

namespace vigil {

struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using UniqueFile = std::unique_ptr<std::FILE, FileClose>;

}  // namespace vigil
