// `vigil forward --eve FILE --upstream tcp://HOST:PORT --keys PREFIX --server-key FILE
//                --origin ID [--state DIR] [--once] [--insecure]`
//   tails a Suricata eve.json into the transport, so existing Suricata sensors feed a Vigil
//   correlator. Every line is sent as one event through a transport Sender (spooled durably in
//   --state, resent until acknowledged). The file position is saved in the same store once the
//   lines before it are spooled, so a restart resumes where it stopped (at most the lines of the
//   last second are sent twice; the receiver stores each batch once, not each line). A rotated
//   (new inode) or truncated file is read from its start. Lines that are not one JSON object are
//   still sent: the correlator rejects them with a reason and counts them.
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "storage/db.h"
#include "storage/key_codec.h"
#include "tools/vigil/commands.h"
#include "transport/curve_keys.h"
#include "transport/sender.h"

namespace vigil::cli {
namespace {

struct ForwardArgs {
  std::string eve, upstream, keys, server_key, origin, state;
  bool once = false;
  bool insecure = false;
};

// RAII FILE*.
struct File {
  std::FILE* f = nullptr;
  ~File() {
    if (f) std::fclose(f);
  }
};

struct LineBuffer {
  char* data = nullptr;
  size_t cap = 0;
  ~LineBuffer() { std::free(data); }
};

constexpr std::chrono::milliseconds kSpoolWait{30'000};
constexpr long kPollNs = 200'000'000;  // idle poll of the file

int Run(const ForwardArgs& a) {
  auto fail = [](const std::string& msg) {
    std::fprintf(stderr, "vigil forward: %s\n", msg.c_str());
    return 1;
  };
  transport::SenderOptions so;
  so.connect = a.upstream;
  so.origin = a.origin;
  so.insecure_plaintext = a.insecure;
  if (!a.insecure) {
    if (a.keys.empty() || a.server_key.empty()) return fail("--keys and --server-key are required (or --insecure)");
    auto kp = transport::LoadSecretKeyFile(a.keys + ".key");
    if (!kp) return fail("--keys " + a.keys + ".key: " + kp.error().message);
    so.client_keys = *kp;
    auto pub = transport::LoadPublicKeyFile(a.server_key);
    if (!pub) return fail("--server-key " + a.server_key + ": " + pub.error().message);
    so.server_public_key = *pub;
  }
  so.spool.name = "forward";

  storage::DbOptions o;
  o.path = a.state.empty() ? a.eve + ".vigil-forward" : a.state;
  auto db = storage::Db::Open(o);
  if (!db) return fail("state store " + o.path + ": " + db.error().message);
  auto pos_cf = (*db)->OpenFamily("forward.position");
  if (!pos_cf) return fail(pos_cf.error().message);

  // Stop on SIGINT/SIGTERM, waited for between polls (blocked before the sender's thread starts).
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto tx = transport::Sender::Start(**db, so);
  if (!tx) return fail("sender: " + tx.error().message);

  uint64_t inode = 0, offset = 0;
  if (auto saved = (*db)->Get(*pos_cf, a.eve); saved && *saved && (*saved)->size() == 16) {
    inode = storage::DecodeU64BE((*saved)->data());
    offset = storage::DecodeU64BE((*saved)->data() + 8);
  }
  auto save = [&](uint64_t ino, uint64_t off) -> Status {
    VIGIL_CHECK_OK((*tx)->FlushToSpool(kSpoolWait));  // lines before off are durable first
    std::string v;
    storage::PutU64BE(&v, ino);
    storage::PutU64BE(&v, off);
    return (*db)->Put(*pos_cf, a.eve, v, storage::Durability::kSync);
  };

  uint64_t sent = 0, too_large = 0;
  LineBuffer line;
  for (;;) {
    File f;
    f.f = std::fopen(a.eve.c_str(), "r");
    struct stat st {};
    if (!f.f || ::fstat(fileno(f.f), &st) != 0) {
      if (a.once) return fail("cannot open " + a.eve);
    } else {
      const uint64_t ino = static_cast<uint64_t>(st.st_ino);
      if (ino != inode || static_cast<uint64_t>(st.st_size) < offset) offset = 0;  // rotated/truncated
      inode = ino;
      if (fseeko(f.f, static_cast<off_t>(offset), SEEK_SET) != 0) offset = 0;
      for (;;) {
        const ssize_t n = ::getline(&line.data, &line.cap, f.f);
        if (n <= 0) break;
        if (line.data[n - 1] != '\n') {  // partial last line: wait for the rest
          break;
        }
        std::string_view ev(line.data, static_cast<size_t>(n - 1));
        if (!ev.empty() && ev.back() == '\r') ev.remove_suffix(1);
        offset += static_cast<uint64_t>(n);
        if (ev.empty()) continue;
        if (Status s = (*tx)->Send(ev); !s) {
          ++too_large;  // larger than a batch: cannot be carried
          std::fprintf(stderr, "vigil forward: line at offset %llu not sent: %s\n",
                        static_cast<unsigned long long>(offset - n), s.error().message.c_str());
          continue;
        }
        if (++sent % 10'000 == 0) {
          if (Status s = save(inode, offset); !s) return fail(s.error().message);
        }
      }
      if (Status s = save(inode, offset); !s) return fail(s.error().message);
    }
    if (a.once) break;
    timespec ts{0, kPollNs};
    if (sigtimedwait(&stop, nullptr, &ts) > 0) break;
    // The file may have been rotated: the next pass compares inodes.
  }
  if (a.once) {
    if (Status s = (*tx)->Drain(kSpoolWait); !s) {
      std::fprintf(stderr, "vigil forward: not all lines acknowledged yet (%s); they stay spooled "
                           "in %s and are sent next time\n", s.error().message.c_str(), o.path.c_str());
    }
  }
  std::printf("vigil forward: %llu lines sent, %llu too large\n", static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(too_large));
  return 0;
}

}  // namespace

void AddForwardCommand(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<ForwardArgs>();
  CLI::App* cmd = app.add_subcommand("forward", "tail a Suricata eve.json into the Vigil transport");
  cmd->add_option("--eve", a->eve, "the eve.json file to follow")->required();
  cmd->add_option("--upstream", a->upstream, "the correlator's endpoint, e.g. tcp://correlator:7100")->required();
  cmd->add_option("--origin", a->origin, "this sender's identity (as in the correlator's allow list)")->required();
  cmd->add_option("--keys", a->keys, "PREFIX of this sender's key pair: PREFIX.key (vigil keys generate)");
  cmd->add_option("--server-key", a->server_key, "the correlator's public key file");
  cmd->add_option("--state", a->state, "spool and file position store (default: FILE.vigil-forward)");
  cmd->add_flag("--once", a->once, "send what the file holds, wait for acknowledgements, and exit");
  cmd->add_flag("--insecure", a->insecure, "plaintext without authentication (tests only)");
  cmd->callback([a, &result] { result.exit_code = Run(*a); });
}

}  // namespace vigil::cli
