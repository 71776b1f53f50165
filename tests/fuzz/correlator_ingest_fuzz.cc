// libFuzzer: arbitrary bytes as a batch payload for EventStoreWriter::AddBatch. It must never
// crash or fail (every line is either stored or rejected), and never read out of bounds. The
// vectorised nesting pre-pass must agree with its byte loop on the whole input.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "correlator/ingest/event_store_writer.h"
#include "correlator/ingest/json_nesting.h"
#include "tests/fuzz/fuzz_store.h"

namespace {

std::unique_ptr<vigil::correlator::EventStoreWriter> MakeWriter() {
  vigil::testing::FuzzStore* store = vigil::testing::OpenFuzzStore();
  vigil::correlator::EventStoreOptions so;
  so.max_event_bytes = 4096;
  so.max_depth = 16;
  auto w = vigil::correlator::EventStoreWriter::Create(*store->db, so);
  if (!w) std::abort();
  return std::move(*w);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Opened once and never destroyed (see fuzz_store.h); batches are never written to the Db.
  static auto* writer = MakeWriter().release();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string stack;
  for (uint32_t depth : {1u, 16u}) {
    if (vigil::correlator::CheckJsonNesting(text, depth, &stack) !=
        vigil::correlator::CheckJsonNestingBytewise(text, depth, &stack)) {
      std::abort();
    }
  }
  vigil::transport::ReceivedBatch b;
  b.origin = "fuzz";
  b.seq = 1;
  b.payload = text;
  vigil::storage::WriteBatch wb;
  if (!writer->AddBatch(b, wb)) std::abort();
  return 0;
}
