// DefaultClassifications: Suricata's stock classification.config (etc/classification.config in
// the Suricata distribution) built into Vigil as data, so alerts carry `category` and
// `severity` when the operator ships no classification file.
//
//   rules::ClassificationConfig classes = rules::DefaultClassifications();
//   classes.Find("trojan-activity")->priority;   // 1
//
// A classification.config given by the operator replaces this set entirely (as Suricata's
// `classification-file` does); callers that want both may Add() entries on top of it.
#pragma once

#include "rules/signature/classification_config.h"

namespace vigil::rules {

// The 43 classtypes of Suricata's default classification.config: name, description, priority.
ClassificationConfig DefaultClassifications();

}  // namespace vigil::rules
