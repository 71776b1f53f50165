#include "sensor/detect/detect_counters.h"

namespace vigil::sensor {

const CounterDef DetectCounters::kDefs[kCount] = {
    {"detect.alerts", "alerts emitted by signature rules"},
    {"detect.alerts_suppressed", "rule matches not alerted because of threshold, detection_filter or suppress"},
    {"detect.alert_queue_overflow", "alerts dropped past max_alerts_per_inspection"},
    {"detect.prefilter_hits", "candidate rules produced by the Hyperscan prefilter"},
    {"detect.rules_checked", "full rule evaluations (prefilter candidates and always-check rules)"},
    {"detect.pcre_match_limit", "pcre evaluations stopped by the match/depth limit (rule did not match)"},
    {"detect.recursion_limit", "rule evaluations stopped by the content inspection recursion limit"},
    {"detect.inspections", "packet and stream inspections"},
    {"detect.stream_depth_reached", "stream chunks (partly) beyond the stream inspection depth"},
    {"detect.threshold_table_full", "threshold keys not tracked because the table was full"},
    {"detect.scan_errors", "Hyperscan scan calls that failed"},
    {"detect.passed", "inspections stopped by a pass rule or a passed flow"},
    {"detect.transforms", "transform chains applied to a buffer (once per inspection and chain)"},
    {"detect.xbits_table_full", "xbits sets dropped because the per-thread xbits table was full"},
    {"detect.dataset_full", "dataset:set values not added because the set reached its memcap"},
};

}  // namespace vigil::sensor
