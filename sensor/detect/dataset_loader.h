// LoadDataset: fills a Dataset from the file a `dataset` keyword names (load / state), in
// Suricata's formats.
//
//   csv (default): one value per line, optionally followed by ",<anything>" (Suricata's
//     reputation column, ignored). string: base64 of the bytes; md5 / sha256: hex digest;
//     ipv4: dotted quad; ip: IPv6 text ("::ffff:a.b.c.d" becomes the stored IPv4 form) or IPv4.
//     Empty lines are skipped; any other unparsable line fails the load with its line number.
//   json: one JSON document; its top level (or the array at dotted `array_key`) is an array of
//     objects; `value_key` (dotted) names each object's value, a JSON string in plain text
//     (string type: the bytes themselves, no base64). The object, minus value_key when
//     remove_key, becomes the key's context for the alert. An object without value_key is
//     skipped (Suricata does the same); one whose value is not a valid value fails the load.
//   ndjson: one such object per line.
// Duplicate values keep the first entry. A set that reaches its memcap while loading fails the
// load (kLimit) rather than matching on a silently partial set.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/signature/dataset_option.h"
#include "sensor/detect/dataset_store.h"

namespace vigil::sensor {

Status LoadDataset(Dataset* set, const rules::DatasetMatch& m, const std::string& path);
// The same on the file's contents; `name` stands for the file in errors (tests, fuzzing).
Status LoadDatasetText(Dataset* set, const rules::DatasetMatch& m, const std::string& text,
                       const std::string& name);

// Where a load/state file named in a rule is read from, as Suricata does: an absolute path as
// is; a relative one in the directory of the rule file (`rule_file`) when it exists there, else
// relative to the working directory.
std::string DatasetFilePath(const std::string& name, const std::string& rule_file);

// One value in stored form: `text` as written in a csv line (base64 = true: string sets) or
// in a JSON string (base64 = false). nullopt when it is not a valid value of that type.
std::optional<std::string> ParseDatasetValue(rules::DatasetType type, std::string_view text, bool base64);

}  // namespace vigil::sensor
