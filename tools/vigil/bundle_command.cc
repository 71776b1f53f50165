// `vigil bundle keygen --out PREFIX`        Ed25519 signing key: PREFIX.pub, PREFIX.secret (0600)
// `vigil bundle sign --key K.secret --name N --version V [--rules F] [--indicators F] --out B`
//   checks the indicator list (every bad line is reported with its number and signing is refused)
//   and writes the signed bundle (to B.tmp, then renamed to B: a national correlator polling
//   its publish.dir never reads half a bundle).
// `vigil bundle verify --trust K.pub [--trust ...] BUNDLE`
//   prints what the bundle holds, or why a sensor would refuse it (exit 1).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/time.h"
#include "rules/bundle/bundle.h"
#include "rules/bundle/indicator.h"
#include "tools/vigil/commands.h"

namespace vigil::cli {
namespace {

bool ReadWhole(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

int Fail(const char* what, const std::string& msg) {
  std::fprintf(stderr, "vigil bundle %s: %s\n", what, msg.c_str());
  return 1;
}

struct SignArgs {
  std::string key, name, rules, indicators, out, created;
  uint64_t version = 0;
};

int Sign(const SignArgs& a) {
  auto key = rules::ReadSigningKeyFile(a.key);
  if (!key) return Fail("sign", key.error().message);
  rules::Bundle b;
  b.name = a.name;
  b.version = a.version;
  b.created = a.created;
  if (!a.rules.empty() && !ReadWhole(a.rules, &b.rules)) return Fail("sign", a.rules + ": cannot read");
  if (!a.indicators.empty()) {
    if (!ReadWhole(a.indicators, &b.indicators)) return Fail("sign", a.indicators + ": cannot read");
    rules::IndicatorParse p = rules::ParseIndicators(b.indicators);
    for (const rules::LineError& e : p.errors) {
      std::fprintf(stderr, "%s:%u: %s\n", a.indicators.c_str(), e.line, e.reason.c_str());
    }
    if (!p.errors.empty()) {
      return Fail("sign", std::to_string(p.errors.size()) + " bad indicator line(s); not signed");
    }
  }
  auto text = rules::SignBundle(std::move(b), *key);
  if (!text) return Fail("sign", text.error().message);
  // Written beside the target and renamed over it, so a correlator polling its publish.dir
  // never reads a half-written bundle (it only reads *.bundle names).
  const std::string tmp = a.out + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out << *text;
  out.close();
  if (!out) return Fail("sign", tmp + ": cannot write");
  if (std::rename(tmp.c_str(), a.out.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Fail("sign", a.out + ": cannot write");
  }
  std::printf("signed %s version %llu -> %s (%zu bytes)\n", a.name.c_str(),
              static_cast<unsigned long long>(a.version), a.out.c_str(), text->size());
  return 0;
}

int Verify(const std::vector<std::string>& trust, const std::string& path) {
  auto signers = rules::TrustedSigners::Load(trust);
  if (!signers) return Fail("verify", signers.error().message);
  std::string text;
  if (!ReadWhole(path, &text)) return Fail("verify", path + ": cannot read");
  rules::Bundle b;
  rules::BundleError err;
  if (!rules::VerifyBundle(text, *signers, &b, &err)) {
    return Fail("verify", std::string("REFUSED (") + std::string(rules::BundleRefusalName(err.reason)) +
                              "): " + err.detail);
  }
  rules::IndicatorParse p = rules::ParseIndicators(b.indicators);
  size_t rule_lines = 0;
  for (std::string_view r = b.rules; !r.empty();) {
    const size_t nl = r.find('\n');
    std::string_view line = r.substr(0, nl);
    r = nl == std::string_view::npos ? std::string_view{} : r.substr(nl + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty() && line.front() != '#') ++rule_lines;
  }
  std::printf("OK %s version %llu created %s\nsigner %s\nrules: %zu line(s)\n"
              "indicators: %zu (%zu bad line(s))\n",
              b.name.c_str(), static_cast<unsigned long long>(b.version),
              b.created.empty() ? "-" : b.created.c_str(),
              rules::FormatPublicKey(b.signer).c_str(), rule_lines, p.indicators.size(),
              p.errors.size());
  return 0;
}

}  // namespace

void AddBundleCommand(CLI::App& app, CommandResult& result) {
  CLI::App* bundle = app.add_subcommand(
      "bundle", "signed intelligence bundles (rules + indicators) for the hierarchy");
  bundle->require_subcommand(1);

  auto keygen_out = std::make_shared<std::string>();
  CLI::App* keygen = bundle->add_subcommand(
      "keygen", "Ed25519 signing key: PREFIX.pub and PREFIX.secret (mode 0600)");
  keygen->add_option("-o,--out", *keygen_out, "path prefix of the two files")->required();
  keygen->callback([keygen_out, &result] {
    auto k = rules::SigningKey::Generate();
    if (!k) {
      result.exit_code = Fail("keygen", k.error().message);
      return;
    }
    if (auto st = rules::WriteSigningKeyFiles(*k, *keygen_out); !st) {
      result.exit_code = Fail("keygen", st.error().message);
      return;
    }
    std::printf("secret: %s.secret (mode 0600)\npublic: %s.pub\n%s\n", keygen_out->c_str(),
                keygen_out->c_str(), rules::FormatPublicKey(k->public_key).c_str());
  });

  auto sa = std::make_shared<SignArgs>();
  CLI::App* sign = bundle->add_subcommand("sign", "write a signed bundle");
  sign->add_option("-k,--key", sa->key, "signing key (.secret)")->required();
  sign->add_option("-n,--name", sa->name, "bundle name ([A-Za-z0-9._-])")->required();
  sign->add_option("-V,--version", sa->version, "bundle version (increase on every release)")
      ->required();
  sign->add_option("-r,--rules", sa->rules, "Suricata rules file to include");
  sign->add_option("-i,--indicators", sa->indicators, "indicator list to include");
  sign->add_option("--created", sa->created, "creation time text (default: now, UTC)");
  sign->add_option("-o,--out", sa->out,
                  "bundle file to write (written then renamed: safe straight into a correlator's publish.dir)")
      ->required();
  sign->callback([sa, &result] {
    if (sa->created.empty()) sa->created = WallClock().Now().ToEve();
    result.exit_code = Sign(*sa);
  });

  auto trust = std::make_shared<std::vector<std::string>>();
  auto path = std::make_shared<std::string>();
  CLI::App* verify = bundle->add_subcommand("verify", "check a bundle as a sensor would");
  verify->add_option("-t,--trust", *trust, "trusted public key file(s)")->required();
  verify->add_option("bundle", *path, "bundle file")->required();
  verify->callback([trust, path, &result] { result.exit_code = Verify(*trust, *path); });
}

}  // namespace vigil::cli
