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
void AddRulesCheckCommand(CLI::App& app, CommandResult& result); // `vigil rules check`
void AddRulesProfileCommand(CLI::App& app, CommandResult& result);  // `vigil rules profile`
// The `vigil rules` group, added by whichever rules command registers first (rules_check_command.cc).
CLI::App* FindOrAddRulesGroup(CLI::App& app);
void AddQueryCommand(CLI::App& app, CommandResult& result);      // `vigil query`
void AddForwardCommand(CLI::App& app, CommandResult& result);    // `vigil forward`
void AddStatusCommand(CLI::App& app, CommandResult& result);     // `vigil status`

}  // namespace vigil::cli
