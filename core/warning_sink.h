// WarningSink: where a component sends a warning it cannot return as a Status: a background
// write that failed, a write discarded at a concurrency limit, a one-time notice about a
// configuration. Components take one in their options; the default writes a line to stderr.
//
//   options.warnings = [&](absl::string_view message) { my_logger.Warn(message); };
#ifndef FAILOVER_CORE_WARNING_SINK_H_
#define FAILOVER_CORE_WARNING_SINK_H_

#include <functional>

#include "absl/strings/string_view.h"

namespace failover {

// Must be safe to call from any thread (components call it from their worker threads).
using WarningSink = std::function<void(absl::string_view message)>;

// Writes "failover: WARNING: <message>\n" to stderr (one write per line, so lines from
// different threads do not interleave).
WarningSink StderrWarningSink();

}  // namespace failover

#endif  // FAILOVER_CORE_WARNING_SINK_H_
