// The content of the Nacos failover switch file, read as the Java client reads it:
// line by line, each line trimmed of spaces and control characters (Java's String.trim(), so
// CRLF line ends work), the first line that is "1" turns failover on, the first that is "0"
// turns it off, other lines are skipped. One difference, on purpose: a UTF-8 byte-order mark at
// the start is ignored (Java keeps it, so a "1" saved by Windows Notepad never switches on).
//
//   ParseSwitchFile("1\n")          // on, "line 1 is '1'"
//   ParseSwitchFile("# ops\r\n0\r\n")  // off, "line 2 is '0'"
//   ParseSwitchFile("")             // error: nothing decides; the caller keeps its state
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_SWITCH_FILE_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_SWITCH_FILE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "naming-client/failover_data_source.h"

namespace failover {
namespace naming_internal {

// The switch the content states. InvalidArgument when no line is "0" or "1" (an empty file
// included): Java then keeps the state it had, and so should the caller, because an empty file
// is also what a reader sees while `echo 1 > switch` is half done. Pure function.
absl::StatusOr<naming::FailoverSwitch> ParseSwitchFile(absl::string_view content);

}  // namespace naming_internal
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_SWITCH_FILE_H_
