// The web UI's static files (index.html, app.js, style.css), compiled into the binary so
// failoverd serves its dashboard without files on disk. The table is generated at build time by
// //dashboard/ui:embed_files from the files in this directory.
//
//   const failover::dashboard::UiFile* file = failover::dashboard::FindUiFile("app.js");
//   if (file != nullptr) Reply(200, file->content_type, file->body);
//
// Thread-safety: the table is immutable static data; FindUiFile may be called from any thread.
#ifndef FAILOVER_DASHBOARD_UI_EMBEDDED_UI_H_
#define FAILOVER_DASHBOARD_UI_EMBEDDED_UI_H_

#include "absl/strings/string_view.h"

namespace failover::dashboard {

// One embedded file. All views point into static storage that lives as long as the program.
struct UiFile {
  absl::string_view path;          // file name, e.g. "index.html"
  absl::string_view content_type;  // e.g. "text/html; charset=utf-8"
  absl::string_view body;          // the file's bytes, exactly as in the source tree
};

// The file named `path` ("index.html", "app.js", "style.css"; no leading slash, no directory),
// or nullptr when there is none.
const UiFile* FindUiFile(absl::string_view path);

}  // namespace failover::dashboard

#endif  // FAILOVER_DASHBOARD_UI_EMBEDDED_UI_H_
