// libFuzzer: arbitrary bytes as a batch payload for EventStoreWriter::AddBatch. It must never
// crash or fail (every line is either stored or rejected), and never read out of bounds.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "correlator/ingest/event_store_writer.h"
#include "tests/storage/temp_dir.h"

namespace {

struct State {
  vigil::testing::TempDir dir;
  std::unique_ptr<vigil::storage::Db> db;
  std::unique_ptr<vigil::correlator::EventStoreWriter> writer;
};

State* g_state = nullptr;  // process-wide by necessity: libFuzzer gives no setup hook with state

State* Init() {
  auto* s = new State();
  g_state = s;
  // Removes the temporary database's files when libFuzzer exits (max_total_time, -runs). The Db
  // itself is left open: closing RocksDB from an atexit handler races its own static teardown.
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(g_state->dir.path(), ec);
  });
  vigil::storage::DbOptions o;
  o.path = s->dir.Sub("db");
  auto db = vigil::storage::Db::Open(o);
  if (!db) std::abort();
  s->db = std::move(*db);
  vigil::correlator::EventStoreOptions so;
  so.max_event_bytes = 4096;
  so.max_depth = 16;
  auto w = vigil::correlator::EventStoreWriter::Create(*s->db, so);
  if (!w) std::abort();
  s->writer = std::move(*w);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static State* state = Init();  // the Db is opened once; batches are never written to it
  vigil::transport::ReceivedBatch b;
  b.origin = "fuzz";
  b.seq = 1;
  b.payload = std::string_view(reinterpret_cast<const char*>(data), size);
  vigil::storage::WriteBatch wb;
  if (!state->writer->AddBatch(b, wb)) std::abort();
  return 0;
}
