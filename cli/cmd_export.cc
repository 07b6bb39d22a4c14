// export: the ledger's records and figures into ClickHouse (docs/COUNTY.md), by the jifen-export
// program beside the binary (county/export_main.cc), run in this process's place.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"

namespace jifen::cli {

int RunExport(const Globals& g, const ExportArgs& args) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string program = (self.parent_path() / "jifen-export").string();
  if (const char* given = std::getenv("JIFEN_EXPORT_PROGRAM")) program = given;
  std::string batch = std::to_string(args.batch_rows);
  std::string format = g.format == Format::kJson ? "json" : "table";
  const char* argv[] = {
      program.c_str(),     g.ledger_dir.c_str(), args.url.c_str(), args.database.c_str(),
      args.origin.c_str(), batch.c_str(),        format.c_str(),   nullptr};
  std::cout << std::flush;
  execv(program.c_str(), const_cast<char* const*>(argv));
  return Fail(Status::IOError("export: cannot run " + program + ": " + std::strerror(errno)));
}

}  // namespace jifen::cli
