// Helpers for the conformance runner tests: a temporary directory and JSON/YAML builders.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace vigil::verify::testing {

// A stand-in for vigil-sensor honouring its command-line contract: it writes LOGDIR/eve.json with
// a flow record and one alert per rule whose msg contains "fire" (pcap_cnt 1, src 10.0.0.1:1234,
// dst 10.0.0.2:80), or, by the pcap's file name, crashes (crash.pcap), hangs (hang.pcap), fails
// with a config error (fatal.pcap) or writes a malformed line (badjson.pcap).
constexpr const char* kFakeSensor = R"SH(#!/bin/sh
out=""; rules=""; pcap=""
while [ $# -gt 0 ]; do
  case "$1" in
    -l) out="$2"; shift 2;;
    -S) rules="$rules $2"; shift 2;;
    -r) pcap="$2"; shift 2;;
    *) shift;;
  esac
done
case "$(basename "$pcap")" in
  crash.pcap) kill -SEGV $$;;
  hang.pcap) exec sleep 30;;
  fatal.pcap) echo "vigil-sensor: config: unknown key 'x'" >&2; exit 1;;
  badjson.pcap) echo '{"event_type":"alert",' > "$out/eve.json"; exit 0;;
esac
: > "$out/eve.json"
echo '{"event_type":"flow"}' >> "$out/eve.json"
for r in $rules; do
  grep 'fire' "$r" | sed -n 's/.*sid: *\([0-9]*\).*/\1/p' | while read s; do
    echo "{\"event_type\":\"alert\",\"pcap_cnt\":1,\"alert\":{\"signature_id\":$s,\"signature\":\"fire $s\"},\"src_ip\":\"10.0.0.1\",\"src_port\":1234,\"dest_ip\":\"10.0.0.2\",\"dest_port\":80}" >> "$out/eve.json"
  done
done
exit 0
)SH";


class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = std::filesystem::temp_directory_path() / ("vigil_verify_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/rel (creating directories) and returns the full path.
  std::filesystem::path Write(const std::string& rel, const std::string& text) const {
    const std::filesystem::path p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace vigil::verify::testing
