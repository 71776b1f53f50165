// vigil: the analyst and operator command. `vigil --help` lists the subcommands.
#include <cstdio>

#include "tools/vigil/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "vigil — tools for Vigil analysts and operators.\n"
      "Every subcommand has its own --help."};
  app.require_subcommand(1);
  vigil::cli::CommandResult result;
  vigil::cli::AddKeysCommand(app, result);
  vigil::cli::AddBundleCommand(app, result);
  vigil::cli::AddRulesTestCommand(app, result);
  vigil::cli::AddRulesCheckCommand(app, result);
  vigil::cli::AddRulesProfileCommand(app, result);
  vigil::cli::AddQueryCommand(app, result);
  vigil::cli::AddForwardCommand(app, result);
  vigil::cli::AddStatusCommand(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return result.exit_code;
}
