#include "sensor/capture/offline_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "tests/sensor/capture/capture_test_util.h"

namespace vigil::sensor {
namespace {

using capture_test::CorpusPcaps;
using capture_test::HaveTool;
using capture_test::RunCommand;
using capture_test::ShellQuote;
using capture_test::TempDir;
using capture_test::TestCounters;
using capture_test::TsharkFrame;
using capture_test::TsharkFrames;
namespace fs = std::filesystem;

struct ReadFrame {
  uint32_t caplen = 0;
  uint32_t wirelen = 0;
  int datalink = 0;
  int64_t ts_ns = 0;
  uint64_t pcap_cnt = 0;
};

struct ReadAll {
  std::vector<ReadFrame> frames;
  std::vector<std::string> file_errors;
};

// Reads every frame through Next() with a snaplen-sized slot.
ReadAll ReadEverything(OfflineSource& src) {
  ReadAll out;
  std::vector<uint8_t> buf(262144);
  PacketSlot slot;
  slot.storage = {buf.data(), buf.size()};
  for (;;) {
    auto st = src.Next(slot);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().ToString());
    if (!st.ok() || *st == ReadStatus::kEnd) break;
    if (*st == ReadStatus::kFileError) {
      out.file_errors.push_back(src.last_error().message);
      continue;
    }
    EXPECT_EQ(*st, ReadStatus::kPacket);
    const Packet& p = slot.packet;
    EXPECT_EQ(p.data, buf.data());
    out.frames.push_back({p.caplen, p.wirelen, p.datalink, p.ts.ns, p.pcap_cnt});
  }
  return out;
}

CaptureConfig OfflineConfig(std::vector<std::string> inputs) {
  CaptureConfig cfg;
  cfg.inputs = std::move(inputs);
  return cfg;
}

#define REQUIRE_TSHARK()                                                                 \
  do {                                                                                   \
    if (!HaveTool("tshark")) {                                                           \
      GTEST_SKIP() << "tshark is not installed: cannot compute the reference counts";   \
    }                                                                                    \
  } while (0)

TEST(OfflineSourceTest, CorpusMatchesTshark) {
  REQUIRE_TSHARK();
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty()) << "no corpus pcaps under ../shared/corpus/pcaps";
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    const auto ref = TsharkFrames(f);
    ASSERT_FALSE(ref.empty());
    TestCounters tc;
    auto src = OfflineSource::Create(OfflineConfig({f}), tc.counters);
    ASSERT_TRUE(src.ok()) << src.error().ToString();
    const ReadAll got = ReadEverything(**src);
    EXPECT_TRUE(got.file_errors.empty());
    ASSERT_EQ(got.frames.size(), ref.size());
    uint64_t wire = 0, cap = 0, ref_wire = 0, ref_cap = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
      wire += got.frames[i].wirelen;
      cap += got.frames[i].caplen;
      ref_wire += ref[i].len;
      ref_cap += ref[i].cap_len;
      ASSERT_EQ(got.frames[i].pcap_cnt, i + 1);
      ASSERT_EQ(got.frames[i].ts_ns, ref[i].ts_ns) << "frame " << i + 1;
      ASSERT_EQ(got.frames[i].datalink, DLT_EN10MB);
    }
    EXPECT_EQ(wire, ref_wire);
    EXPECT_EQ(cap, ref_cap);
    EXPECT_EQ(tc.Get(CaptureCounter::kPackets), ref.size());
    EXPECT_EQ(tc.Get(CaptureCounter::kBytes), ref_cap);
    EXPECT_EQ(tc.Get(CaptureCounter::kFiles), 1u);
    EXPECT_EQ(tc.Get(CaptureCounter::kFileErrors), 0u);
    const auto& info = (*src)->files().at(0);
    EXPECT_EQ(info.datalink, DLT_EN10MB);
    EXPECT_NE(info.datalink_name.find("EN10MB"), std::string::npos) << info.datalink_name;
    EXPECT_EQ(info.packets, ref.size());
    EXPECT_TRUE(info.done);
    EXPECT_TRUE(info.error.empty());
  }
}

TEST(OfflineSourceTest, DirectoryIsReadInNameOrderWithContinuousNumbering) {
  REQUIRE_TSHARK();
  const auto files = CorpusPcaps();
  ASSERT_GE(files.size(), 3u);
  TempDir dir;
  // Names chosen so that name order differs from the corpus order.
  const std::vector<std::pair<std::string, std::string>> links = {
      {"c_first_in_corpus.pcap", files[0]}, {"a_second.pcap", files[1]}, {"b_third.pcap", files[2]}};
  for (const auto& [name, target] : links) {
    fs::create_symlink(fs::absolute(target), dir / name);
  }
  fs::create_directory(dir / "subdir_is_ignored");
  TestCounters tc;
  auto src = OfflineSource::Create(OfflineConfig({dir.path().string()}), tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  const auto& infos = (*src)->files();
  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(fs::path(infos[0].path).filename(), "a_second.pcap");
  EXPECT_EQ(fs::path(infos[1].path).filename(), "b_third.pcap");
  EXPECT_EQ(fs::path(infos[2].path).filename(), "c_first_in_corpus.pcap");

  const ReadAll got = ReadEverything(**src);
  std::vector<TsharkFrame> ref;
  for (const std::string& f : {files[1], files[2], files[0]}) {
    auto r = TsharkFrames(f);
    ref.insert(ref.end(), r.begin(), r.end());
  }
  ASSERT_EQ(got.frames.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    ASSERT_EQ(got.frames[i].pcap_cnt, i + 1);
    ASSERT_EQ(got.frames[i].ts_ns, ref[i].ts_ns) << "frame " << i + 1;
    ASSERT_EQ(got.frames[i].wirelen, ref[i].len) << "frame " << i + 1;
  }
  uint64_t sum = 0;
  for (const auto& info : infos) sum += info.packets;
  EXPECT_EQ(sum, ref.size());
  EXPECT_EQ(tc.Get(CaptureCounter::kFiles), 3u);
}

TEST(OfflineSourceTest, PcapngAndNanosecondFiles) {
  REQUIRE_TSHARK();
  if (!HaveTool("editcap")) GTEST_SKIP() << "editcap is not installed";
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  TempDir dir;
  const std::string src_file = files.back();
  const std::string ng = dir / "out.pcapng";
  const std::string ns = dir / "nsec.pcap";
  // A 123 ns shift gives the nanosecond file sub-microsecond digits that must survive.
  ASSERT_EQ(RunCommand("editcap -F pcapng " + ShellQuote(src_file) + " " + ShellQuote(ng)).rc, 0);
  ASSERT_EQ(RunCommand("editcap -F nsecpcap -t 0.000000123 " + ShellQuote(src_file) + " " +
                       ShellQuote(ns)).rc, 0);
  for (const std::string& f : {ng, ns}) {
    SCOPED_TRACE(f);
    const auto ref = TsharkFrames(f);
    ASSERT_FALSE(ref.empty());
    TestCounters tc;
    auto src = OfflineSource::Create(OfflineConfig({f}), tc.counters);
    ASSERT_TRUE(src.ok()) << src.error().ToString();
    const ReadAll got = ReadEverything(**src);
    EXPECT_TRUE(got.file_errors.empty());
    ASSERT_EQ(got.frames.size(), ref.size());
    for (size_t i = 0; i < ref.size(); ++i) {
      ASSERT_EQ(got.frames[i].ts_ns, ref[i].ts_ns) << "frame " << i + 1;
      ASSERT_EQ(got.frames[i].caplen, ref[i].cap_len);
    }
    EXPECT_EQ((*src)->files()[0].datalink, DLT_EN10MB);
  }
  // The shifted file really has nanosecond digits (so the check above was meaningful).
  EXPECT_EQ(TsharkFrames(ns).at(0).ts_ns % 1000, 123);
}

TEST(OfflineSourceTest, TruncatedFileIsReportedAndNextFileStillReads) {
  REQUIRE_TSHARK();
  const auto files = CorpusPcaps();
  ASSERT_GE(files.size(), 2u);
  TempDir dir;
  const std::string cut = dir / "a_cut.pcap";
  fs::copy_file(files[0], cut);
  const auto full_size = fs::file_size(cut);
  fs::resize_file(cut, full_size / 2);  // almost surely inside a record
  fs::create_symlink(fs::absolute(files[1]), dir / "b_whole.pcap");

  const size_t before_cut = TsharkFrames(cut).size();
  const size_t second = TsharkFrames(files[1]).size();
  ASSERT_GT(before_cut, 0u);
  ASSERT_LT(before_cut, TsharkFrames(files[0]).size());

  TestCounters tc;
  auto src = OfflineSource::Create(OfflineConfig({dir.path().string()}), tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  const ReadAll got = ReadEverything(**src);
  ASSERT_EQ(got.file_errors.size(), 1u);
  EXPECT_NE(got.file_errors[0].find("a_cut.pcap"), std::string::npos) << got.file_errors[0];
  EXPECT_NE(got.file_errors[0].find("after " + std::to_string(before_cut) + " packets"),
            std::string::npos)
      << got.file_errors[0];
  EXPECT_EQ(got.frames.size(), before_cut + second);
  EXPECT_EQ(tc.Get(CaptureCounter::kFileErrors), 1u);
  EXPECT_EQ(tc.Get(CaptureCounter::kFiles), 2u);
  const auto& infos = (*src)->files();
  EXPECT_EQ(infos[0].packets, before_cut);
  EXPECT_FALSE(infos[0].error.empty());
  EXPECT_EQ(infos[1].packets, second);
  EXPECT_TRUE(infos[1].error.empty());
  // Numbering continues across the failed file.
  EXPECT_EQ(got.frames.back().pcap_cnt, before_cut + second);
}

TEST(OfflineSourceTest, UnreadableFileIsCountedAndSkipped) {
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  TempDir dir;
  {
    std::ofstream junk(dir / "a_not_a_pcap.txt");
    junk << "this is not a capture file\n";
  }
  fs::create_symlink(fs::absolute(files[0]), dir / "b.pcap");
  TestCounters tc;
  auto src = OfflineSource::Create(OfflineConfig({dir.path().string()}), tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  const ReadAll got = ReadEverything(**src);
  ASSERT_EQ(got.file_errors.size(), 1u);
  EXPECT_NE(got.file_errors[0].find("a_not_a_pcap.txt"), std::string::npos) << got.file_errors[0];
  EXPECT_GT(got.frames.size(), 0u);
  EXPECT_EQ(got.frames.front().pcap_cnt, 1u);
  EXPECT_EQ(tc.Get(CaptureCounter::kFileErrors), 1u);
  EXPECT_EQ(tc.Get(CaptureCounter::kFiles), 1u);
}

TEST(OfflineSourceTest, MissingInputsAndBadFilterFailAtCreate) {
  TestCounters tc;
  auto missing = OfflineSource::Create(OfflineConfig({"/nonexistent/vigil.pcap"}), tc.counters);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/vigil.pcap"), std::string::npos);

  TempDir empty;
  auto no_files = OfflineSource::Create(OfflineConfig({empty.path().string()}), tc.counters);
  ASSERT_FALSE(no_files.ok());
  EXPECT_NE(no_files.error().message.find("has no files"), std::string::npos);

  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  CaptureConfig cfg = OfflineConfig({files[0]});
  cfg.bpf_filter = "tcp port (";
  auto bad = OfflineSource::Create(cfg, tc.counters);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("tcp port ("), std::string::npos) << bad.error().message;
}

TEST(OfflineSourceTest, BpfFilterAppliesOffline) {
  REQUIRE_TSHARK();
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  // "arp" means the same to BPF (ethertype 0x0806) and to tshark's display filter.
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    const auto expect = RunCommand("tshark -n -r " + ShellQuote(f) + " -Y arp -T fields -e frame.len");
    const size_t want = static_cast<size_t>(std::count(expect.out.begin(), expect.out.end(), '\n'));
    CaptureConfig cfg = OfflineConfig({f});
    cfg.bpf_filter = "arp";
    TestCounters tc;
    auto src = OfflineSource::Create(cfg, tc.counters);
    ASSERT_TRUE(src.ok()) << src.error().ToString();
    const ReadAll got = ReadEverything(**src);
    EXPECT_EQ(got.frames.size(), want);
    // Numbering counts the frames the reader sees (after the filter), as Suricata does.
    for (size_t i = 0; i < got.frames.size(); ++i) ASSERT_EQ(got.frames[i].pcap_cnt, i + 1);
  }
}

TEST(OfflineSourceTest, ProgressReachesTotalMonotonically) {
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  CaptureConfig cfg = OfflineConfig(files);
  cfg.progress_step_bytes = 256 * 1024;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  TestCounters tc;
  auto src = OfflineSource::Create(cfg, tc.counters, [&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
  });
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  uint64_t total = 0;
  for (const auto& f : files) total += fs::file_size(f);
  EXPECT_EQ((*src)->total_bytes(), total);
  ReadEverything(**src);
  // At least one report per step and one per file end.
  ASSERT_GE(calls.size(), total / cfg.progress_step_bytes / 2);
  ASSERT_GE(calls.size(), files.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].second, total);
    if (i > 0) {
      EXPECT_GE(calls[i].first, calls[i - 1].first);
    }
  }
  EXPECT_EQ(calls.back().first, total);
}

TEST(OfflineSourceTest, SmallSlotKeepsFramePendingUntilALargerOneComes) {
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  TestCounters tc;
  auto src = OfflineSource::Create(OfflineConfig({files[0]}), tc.counters);
  ASSERT_TRUE(src.ok());
  std::vector<uint8_t> tiny(16), big(262144);
  PacketSlot small_slot, big_slot;
  small_slot.storage = {tiny.data(), tiny.size()};
  big_slot.storage = {big.data(), big.size()};
  auto st = (*src)->Next(small_slot);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(*st, ReadStatus::kSlotTooSmall);
  const uint32_t need = (*src)->pending_caplen();
  EXPECT_GT(need, 16u);
  st = (*src)->Next(small_slot);  // still pending, still too small
  ASSERT_EQ(*st, ReadStatus::kSlotTooSmall);
  st = (*src)->Next(big_slot);
  ASSERT_EQ(*st, ReadStatus::kPacket);
  EXPECT_EQ(big_slot.packet.pcap_cnt, 1u);
  EXPECT_EQ(big_slot.packet.caplen, need);
  EXPECT_EQ((*src)->pending_caplen(), 0u);
  st = (*src)->Next(big_slot);
  ASSERT_EQ(*st, ReadStatus::kPacket);
  EXPECT_EQ(big_slot.packet.pcap_cnt, 2u);
}

TEST(OfflineSourceTest, BreakloopEndsTheRun) {
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  TestCounters tc;
  auto src = OfflineSource::Create(OfflineConfig({files[0]}), tc.counters);
  ASSERT_TRUE(src.ok());
  Frame f;
  ASSERT_EQ(*(*src)->Read(f), ReadStatus::kPacket);
  (*src)->Breakloop();
  ASSERT_EQ(*(*src)->Read(f), ReadStatus::kEnd);
}

TEST(CaptureConfigTest, ValidateNamesTheField) {
  CaptureConfig cfg;
  EXPECT_FALSE(cfg.Validate().ok());  // no input
  cfg.inputs = {"x.pcap"};
  EXPECT_TRUE(cfg.Validate().ok());
  EXPECT_EQ(cfg.EffectivePolicy(), QueueFullPolicy::kBlock);
  cfg.interface = "eth0";
  EXPECT_FALSE(cfg.Validate().ok());  // both
  cfg.inputs.clear();
  EXPECT_EQ(cfg.EffectivePolicy(), QueueFullPolicy::kDrop);
  cfg.slot_bytes = 10;
  auto st = cfg.Validate();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("slot_bytes"), std::string::npos);
  cfg.slot_bytes = 2048;
  cfg.large_slots = 0;
  EXPECT_FALSE(cfg.Validate().ok());
  cfg.snaplen = 2048;
  EXPECT_TRUE(cfg.Validate().ok());
}

}  // namespace
}  // namespace vigil::sensor
