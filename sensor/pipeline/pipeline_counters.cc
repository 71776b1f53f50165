#include "sensor/pipeline/pipeline_counters.h"

#include "sensor/defrag/defragmenter.h"
#include "sensor/flow/flow_table.h"

namespace vigil::sensor {

Result<PipelineCounters> RegisterPipelineCounters(CounterRegistry& registry) {
  PipelineCounters c;
  // Registration order is the order of stats events and of the exit summary: the packet path.
  VIGIL_TRY(c.capture, RegisterCaptureCounters(registry));
  VIGIL_TRY(c.decoder, RegisterDecoderCounters(registry));
  VIGIL_TRY(c.defrag, Defragmenter::RegisterCounters(registry));
  VIGIL_TRY(c.flow, FlowTable::RegisterCounters(registry));
  VIGIL_TRY(c.stream, RegisterReassemblyCounters(registry));
  VIGIL_TRY(c.pipeline, registry.Register(kPipelineCounterDefs));
  VIGIL_TRY(c.exception_policy, registry.Register(kExceptionPolicyCounterDefs));
  VIGIL_TRY(c.output, RegisterOutputCounters(registry));
  return c;
}

}  // namespace vigil::sensor
