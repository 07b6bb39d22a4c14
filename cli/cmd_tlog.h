// key, checkpoint, proof, verify-proof, witness, tiles: the ledger as a transparency log
// (SPEC.md §6, tlog/). Registered by AddSubcommands.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace jifen::cli {

void AddTransparencySubcommands(CLI::App& app, Globals& g, int& rc);

}  // namespace jifen::cli
