// `vigil keys generate --out PREFIX [--identity ID --province P]`
//   writes PREFIX.key (secret + public, mode 0600) and PREFIX.pub (public only), and prints the
//   allow-list line a receiver needs to accept this key.
// `vigil keys show FILE` prints the public key of a key file.
#include <cstdio>
#include <string>

#include "tools/vigil/commands.h"
#include "transport/curve_keys.h"

namespace vigil::cli {

void AddKeysCommand(CLI::App& app, CommandResult& result) {
  CLI::App* keys = app.add_subcommand("keys", "CURVE key pairs for the transport");
  keys->require_subcommand(1);

  struct GenerateArgs {
    std::string out;
    std::string identity;
    std::string province;
    bool force = false;
  };
  auto gen = std::make_shared<GenerateArgs>();
  CLI::App* generate = keys->add_subcommand(
      "generate", "generate a key pair: PREFIX.key (secret, mode 0600) and PREFIX.pub");
  generate->add_option("-o,--out", gen->out, "path prefix of the two files")->required();
  generate->add_option("--identity", gen->identity,
                       "identity to print in the allow-list line (e.g. prov-07/sensor-12)");
  generate->add_option("--province", gen->province, "province to print in the allow-list line");
  generate->add_flag("-f,--force", gen->force, "overwrite existing files");
  generate->callback([gen, &result] {
    const std::string secret_path = gen->out + ".key";
    const std::string public_path = gen->out + ".pub";
    if (!gen->force) {
      for (const auto& p : {secret_path, public_path}) {
        if (FILE* f = std::fopen(p.c_str(), "r")) {
          std::fclose(f);
          std::fprintf(stderr, "vigil keys generate: %s exists (use --force to overwrite)\n",
                       p.c_str());
          result.exit_code = 1;
          return;
        }
      }
    }
    auto kp = transport::GenerateCurveKeyPair();
    if (!kp) {
      std::fprintf(stderr, "vigil keys generate: %s\n", kp.error().ToString().c_str());
      result.exit_code = 1;
      return;
    }
    auto st = transport::WriteSecretKeyFile(secret_path, *kp);
    if (st) st = transport::WritePublicKeyFile(public_path, kp->public_z85);
    if (!st) {
      std::fprintf(stderr, "vigil keys generate: %s\n", st.error().ToString().c_str());
      result.exit_code = 1;
      return;
    }
    std::printf("secret key: %s (mode 0600)\npublic key: %s\n", secret_path.c_str(),
                public_path.c_str());
    std::printf("allow-list line for the receiver:\n%s %s%s%s\n", kp->public_z85.c_str(),
                gen->identity.empty() ? "<identity>" : gen->identity.c_str(),
                gen->province.empty() ? "" : " ", gen->province.c_str());
  });

  auto show_path = std::make_shared<std::string>();
  CLI::App* show = keys->add_subcommand("show", "print the public key of a .key or .pub file");
  show->add_option("file", *show_path, "key file")->required();
  show->callback([show_path, &result] {
    auto secret = transport::LoadSecretKeyFile(*show_path);
    if (secret) {
      std::printf("%s\n", secret->public_z85.c_str());
      return;
    }
    auto pub = transport::LoadPublicKeyFile(*show_path);
    if (!pub) {
      std::fprintf(stderr, "vigil keys show: %s\n", pub.error().ToString().c_str());
      result.exit_code = 1;
      return;
    }
    std::printf("%s\n", pub->c_str());
  });
}

}  // namespace vigil::cli
