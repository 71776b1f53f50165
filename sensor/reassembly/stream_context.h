// StreamContext: what every TcpSession of one worker shares — the config, the worker's buffer
// pool and the worker's counters. Built once per worker; sessions keep a pointer to it, so it
// must outlive them.
//
//   ReassemblyMemory mem(cfg);
//   StreamContext ctx{&cfg, &mem, counters};   // counters.block = this worker's block
//   TcpSession s(ctx);
#pragma once

#include "sensor/reassembly/reassembly_config.h"
#include "sensor/reassembly/reassembly_counters.h"
#include "sensor/reassembly/reassembly_memory.h"

namespace vigil::sensor {

struct StreamContext {
  const ReassemblyConfig* config = nullptr;
  ReassemblyMemory* memory = nullptr;
  ReassemblyCounters counters;  // block may be null: counting disabled
};

}  // namespace vigil::sensor
