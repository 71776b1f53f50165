// OfflineSensorRun: runs vigil-sensor once over a capture with given rule files in a fresh
// temporary directory, for the `vigil rules ...` commands that look at what the sensor did
// (`rules test` reads the alerts, `rules profile` the per-rule profile). Rules that do not load
// are listed on stderr first; a sensor that cannot start, fails or times out is reported with
// its command line and stderr. The directory is removed when the object dies unless `keep`.
//
//   OfflineSensorRun run("vigil rules test");
//   if (int rc = run.Run(opts); rc != 0) return rc;     // 2, message printed
//   ReadAlerts((run.log_dir() / "eve.json").string());
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vigil::cli {

struct OfflineRunOptions {
  std::string pcap;
  std::vector<std::string> rules;  // rule files
  std::string checksum;            // "none": -k none
  std::vector<std::string> sets;   // KEY=VALUE sensor config overrides; "{log_dir}" in one
                                   // becomes the sensor's output directory
  std::string sensor;              // vigil-sensor binary ("" = next to vigil)
  double timeout_s = 600;
  bool keep = false;               // keep the work directory
};

class OfflineSensorRun {
 public:
  explicit OfflineSensorRun(std::string tool) : tool_(std::move(tool)) {}
  ~OfflineSensorRun();
  OfflineSensorRun(const OfflineSensorRun&) = delete;
  OfflineSensorRun& operator=(const OfflineSensorRun&) = delete;

  // 0 when the sensor ran and exited 0; else 2 with the reason printed to stderr.
  int Run(const OfflineRunOptions& options);
  const std::filesystem::path& work_dir() const { return work_; }
  const std::filesystem::path& log_dir() const { return log_dir_; }

 private:
  std::string tool_;
  std::filesystem::path work_, log_dir_;
  bool keep_ = false;
};

}  // namespace vigil::cli
