// Catalog: the fixed word lists that make generated traffic look like real traffic (host names,
// URI paths, User-Agents, DNS record data, text for bodies) and the indicators the attack flows
// carry. All are compile-time constant tables; generators pick from them with their Rng.
#pragma once

#include <span>
#include <string_view>

namespace vigil::synth::catalog {

std::span<const std::string_view> WebHosts();      // HTTP Host names
std::span<const std::string_view> TlsHosts();      // TLS SNI names
std::span<const std::string_view> DnsOnlyNames();  // names only looked up, never visited
std::span<const std::string_view> UriPaths();      // "/static/js/app.js"...
std::span<const std::string_view> QueryKeys();     // "id", "q", "page"...
std::span<const std::string_view> UserAgents();
std::span<const std::string_view> Accepts();       // Accept header values
std::span<const std::string_view> Servers();       // Server header values
std::span<const std::string_view> Words();         // for HTML / JSON / form text
std::span<const std::string_view> TxtRecords();
std::span<const std::string_view> CnameTargets();  // CDN edge names for CNAME chains
std::span<const std::string_view> MailHosts();     // MX exchange first labels

// Attack indicators (kept here so tests and docs can list them).
std::span<const std::string_view> SqlInjectionUris();
std::span<const std::string_view> BadUserAgents();
std::span<const std::string_view> MaliciousDomains();  // for DNS queries
std::span<const std::string_view> MaliciousSnis();     // for TLS SNI
inline constexpr std::string_view kTestMyIdsHost = "testmynids.org";
inline constexpr std::string_view kTestMyIdsUri = "/uid/index.html";
inline constexpr std::string_view kTestMyIdsBody = "uid=0(root) gid=0(root) groups=0(root)\n";

}  // namespace vigil::synth::catalog
