// WriteEve: renders an Event (core/event.h) as one line of Suricata-compatible EVE JSON.
//
// Field names and their order follow Suricata's eve.json (output-json.c CreateEveHeader, then the
// per-type loggers), so jq filters, EveBox, Kibana and Splunk dashboards written for Suricata read
// Vigil's events, and the correlator can ingest either:
//
//   {"timestamp":...,"flow_id":...,"sensor_id":...,"in_iface":...,"pcap_cnt":...,
//    "event_type":"alert","src_ip":...,"src_port":...,"dest_ip":...,"dest_port":...,
//    "proto":"TCP","pkt_src":...,"community_id":"1:...","tx_id":0,
//    "alert":{"action":...,"gid":...,"signature_id":...,"rev":...,"signature":...,
//             "category":...,"severity":...,"metadata":{...}},
//    "http":{...},"app_proto":"http","direction":"to_server",
//    "flow":{"pkts_toserver":...,...,"start":...,"src_ip":...,...},"province":"..."}
//
// Vigil additions: "sensor_id" is a string (Suricata's is a number) and "province" comes last,
// where Suricata writes "host".
//
//   JsonWriter w;                         // one per output thread, reused
//   w.Clear();
//   if (auto st = WriteEve(event, w); !st) count_and_drop(st);
//   sink.Write(w.view()); sink.Write("\n");
#pragma once

#include "core/event.h"
#include "core/json_writer.h"
#include "core/result.h"

namespace vigil {

// Appends one complete JSON object (no trailing newline) to w. Fails if the event lacks the
// payload its type requires (e.g. an alert without `alert`) or the writer fails (depth limit on
// deeply dotted stats names); w's text is then not a valid event and should be cleared.
[[nodiscard]] Status WriteEve(const Event& event, JsonWriter& w);

}  // namespace vigil
