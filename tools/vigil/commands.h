// The subcommands of the `vigil` CLI. Each lives in its own <name>_command.cc and registers
// itself on the root CLI::App; its callback returns the process exit status through
// CommandResult so main() can exit with it (CLI11 callbacks return void).
#pragma once

#include <CLI/CLI.hpp>

namespace vigil::cli {

// Set by a subcommand's callback; main() returns it.
struct CommandResult {
  int exit_code = 0;
};

void AddKeysCommand(CLI::App& app, CommandResult& result);
void AddBundleCommand(CLI::App& app, CommandResult& result);    // `vigil bundle`
void AddRulesTestCommand(CLI::App& app, CommandResult& result);  // `vigil rules test`
void AddQueryCommand(CLI::App& app, CommandResult& result);      // `vigil query`
void AddForwardCommand(CLI::App& app, CommandResult& result);    // `vigil forward`

}  // namespace vigil::cli
