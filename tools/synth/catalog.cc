#include "tools/synth/catalog.h"

namespace vigil::synth::catalog {
namespace {

using S = std::string_view;

constexpr S kWebHosts[] = {
    "www.example.com", "news.example.org", "shop.example.net", "www.wikipedia.org",
    "en.wikipedia.org", "www.debian.org", "deb.debian.org", "security.debian.org",
    "www.kernel.org", "cdn.jsdelivr.net", "ajax.googleapis.com", "www.w3.org",
    "portal.gov.example", "mail.ministry.example", "intranet.corp.example", "api.weather.example",
    "static.cdn-edge.example", "images.photos.example", "forum.community.example",
    "download.software.example", "update.vendor.example", "www.university.edu.example",
    "blog.tech.example", "docs.project.example", "www.bank.example", "tracker.ads.example",
    "ocsp.ca.example", "crl.ca.example", "www.news-daily.example", "m.social.example",
};

constexpr S kTlsHosts[] = {
    "www.google.com", "accounts.google.com", "www.youtube.com", "login.microsoftonline.com",
    "outlook.office365.com", "www.github.com", "api.github.com", "www.cloudflare.com",
    "fonts.gstatic.com", "www.facebook.com", "graph.facebook.com", "api.twitter.com",
    "www.amazon.com", "s3.amazonaws.com", "www.apple.com", "gateway.icloud.com",
    "www.linkedin.com", "web.whatsapp.com", "update.googleapis.com", "clients4.google.com",
    "portal.gov.example", "secure.bank.example", "vpn.corp.example", "sso.ministry.example",
};

constexpr S kDnsOnlyNames[] = {
    "time.windows.com", "ntp.ubuntu.com", "pool.ntp.org", "connectivity-check.ubuntu.com",
    "detectportal.firefox.com", "wpad.corp.example", "_ldap._tcp.dc.corp.example",
    "fileserver.corp.example", "printer01.corp.example", "ctldl.windowsupdate.com",
    "settings-win.data.microsoft.com", "www.msftconnecttest.com", "dns.google",
    "ipv6.test.example", "mirror.centos.org", "archive.ubuntu.com", "smtp.mail.example",
};

constexpr S kUriPaths[] = {
    "/", "/index.html", "/index.php", "/about", "/contact", "/news/2024/01/article-1234.html",
    "/static/js/app.js", "/static/js/vendor.min.js", "/static/css/main.css",
    "/images/logo.png", "/images/banner.jpg", "/favicon.ico", "/api/v1/items", "/api/v2/users/me",
    "/search", "/login", "/account/settings", "/cart", "/products/list", "/download/setup.exe",
    "/debian/dists/bookworm/InRelease", "/pub/linux/kernel/v6.x/ChangeLog-6.1",
    "/wp-content/uploads/2023/12/photo.jpg", "/feed.xml", "/robots.txt", "/sitemap.xml",
};

constexpr S kQueryKeys[] = {"id", "q", "page", "lang", "ref", "sort", "utm_source", "session", "v"};

constexpr S kUserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36",
    "Debian APT-HTTP/1.3 (2.6.1)",
    "curl/7.88.1",
    "Wget/1.21.3",
    "Microsoft-CryptoAPI/10.0",
};

constexpr S kAccepts[] = {
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "*/*", "application/json", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8",
    "text/css,*/*;q=0.1",
};

constexpr S kServers[] = {"nginx/1.22.1", "Apache/2.4.57 (Debian)", "Microsoft-IIS/10.0",
                          "cloudflare", "lighttpd/1.4.69", "gws"};

constexpr S kWords[] = {
    "network", "security", "ministry", "province", "report", "annual", "budget", "weather",
    "forecast", "river", "mountain", "school", "hospital", "market", "price", "update",
    "release", "kernel", "package", "mirror", "archive", "service", "citizen", "portal",
    "document", "policy", "meeting", "agenda", "library", "museum", "transport", "railway",
    "energy", "water", "health", "education", "science", "culture", "sport", "travel",
};

constexpr S kTxtRecords[] = {
    "v=spf1 include:_spf.example.com ~all",
    "google-site-verification=Xc3kP9qLmN2vB7sT1rY8uW4eH6aJ0dF5gZ",
    "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com",
    "MS=ms48291734",
    "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all",
};

constexpr S kCnameTargets[] = {"edge-1.cdn-edge.example", "lb.front.cloud.example",
                               "a1234.dscb.akamai.example", "d111111abcdef8.cloudfront.example"};

constexpr S kMailHosts[] = {"mail", "mx1", "mx2", "smtp", "aspmx"};

constexpr S kSqlInjectionUris[] = {
    "/products.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--",
    "/index.php?id=1'+OR+'1'='1",
    "/search.php?q=test%27;DROP%20TABLE%20users;--",
    "/item.php?cat=2+UNION+ALL+SELECT+NULL,@@version,NULL--",
};

constexpr S kBadUserAgents[] = {
    "sqlmap/1.7.2#stable (https://sqlmap.org)",
    "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "Mozilla/5.0 zgrab/0.x",
};

constexpr S kMaliciousDomains[] = {
    "cnc.botnet-control.top", "x7k2q9vz1m.dyn-update.xyz", "payload.evil-dropper.ru.example",
    "update-check.malware-c2.top",
};

constexpr S kMaliciousSnis[] = {
    "login.micros0ft-secure.top", "secure-paypa1-verify.xyz", "c2.badactor-beacon.top",
    "cdn.ransom-keys.onion-gw.example",
};

}  // namespace

std::span<const S> WebHosts() { return kWebHosts; }
std::span<const S> TlsHosts() { return kTlsHosts; }
std::span<const S> DnsOnlyNames() { return kDnsOnlyNames; }
std::span<const S> UriPaths() { return kUriPaths; }
std::span<const S> QueryKeys() { return kQueryKeys; }
std::span<const S> UserAgents() { return kUserAgents; }
std::span<const S> Accepts() { return kAccepts; }
std::span<const S> Servers() { return kServers; }
std::span<const S> Words() { return kWords; }
std::span<const S> TxtRecords() { return kTxtRecords; }
std::span<const S> CnameTargets() { return kCnameTargets; }
std::span<const S> MailHosts() { return kMailHosts; }
std::span<const S> SqlInjectionUris() { return kSqlInjectionUris; }
std::span<const S> BadUserAgents() { return kBadUserAgents; }
std::span<const S> MaliciousDomains() { return kMaliciousDomains; }
std::span<const S> MaliciousSnis() { return kMaliciousSnis; }

}  // namespace vigil::synth::catalog
