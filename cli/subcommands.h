// The command line's arguments (SPEC.md §5): every subcommand declares its options in an
// Add…Command of its own (subcommands.cc) and, when it is the one given, hands them to its Run*
// function (commands.h). main.cc only sets up the process and parses.
#pragma once

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace jifen::cli {

// Options that every subcommand accepts after its name too (`jifen score --ledger L ...`).
void AddGlobals(CLI::App& app, Globals& g);
// Adds every subcommand to `app`; the one that runs sets `rc` to its exit code.
void AddSubcommands(CLI::App& app, Globals& g, int& rc);

}  // namespace jifen::cli
