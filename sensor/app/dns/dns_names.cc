#include "sensor/app/dns/dns_names.h"

namespace vigil::sensor {

std::string_view DnsTypeName(uint16_t type) {
  switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 3: return "MD";
    case 4: return "MF";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 7: return "MB";
    case 8: return "MG";
    case 9: return "MR";
    case 10: return "NULL";
    case 11: return "WKS";
    case 12: return "PTR";
    case 13: return "HINFO";
    case 14: return "MINFO";
    case 15: return "MX";
    case 16: return "TXT";
    case 17: return "RP";
    case 18: return "AFSDB";
    case 24: return "SIG";
    case 25: return "KEY";
    case 28: return "AAAA";
    case 29: return "LOC";
    case 33: return "SRV";
    case 35: return "NAPTR";
    case 36: return "KX";
    case 37: return "CERT";
    case 39: return "DNAME";
    case 41: return "OPT";
    case 43: return "DS";
    case 44: return "SSHFP";
    case 45: return "IPSECKEY";
    case 46: return "RRSIG";
    case 47: return "NSEC";
    case 48: return "DNSKEY";
    case 49: return "DHCID";
    case 50: return "NSEC3";
    case 51: return "NSEC3PARAM";
    case 52: return "TLSA";
    case 55: return "HIP";
    case 59: return "CDS";
    case 60: return "CDNSKEY";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 99: return "SPF";
    case 249: return "TKEY";
    case 250: return "TSIG";
    case 251: return "IXFR";
    case 252: return "AXFR";
    case 255: return "ANY";
    case 256: return "URI";
    case 257: return "CAA";
    default: return {};
  }
}

void DnsTypeText(uint16_t type, std::string& out) {
  std::string_view n = DnsTypeName(type);
  if (!n.empty()) {
    out.assign(n);
  } else {
    out = std::to_string(type);  // at most 5 digits: fits the small-string buffer
  }
}

std::string_view DnsRcodeName(uint16_t rcode) {
  switch (rcode) {
    case 0: return "NOERROR";
    case 1: return "FORMERR";
    case 2: return "SERVFAIL";
    case 3: return "NXDOMAIN";
    case 4: return "NOTIMP";
    case 5: return "REFUSED";
    case 6: return "YXDOMAIN";
    case 7: return "YXRRSET";
    case 8: return "NXRRSET";
    case 9: return "NOTAUTH";
    case 10: return "NOTZONE";
    case 16: return "BADVERS";
    case 17: return "BADKEY";
    case 18: return "BADTIME";
    case 19: return "BADMODE";
    case 20: return "BADNAME";
    case 21: return "BADALG";
    case 22: return "BADTRUNC";
    case 23: return "BADCOOKIE";
    default: return {};
  }
}

void DnsRcodeText(uint16_t rcode, std::string& out) {
  std::string_view n = DnsRcodeName(rcode);
  if (!n.empty()) {
    out.assign(n);
  } else {
    out = std::to_string(rcode);
  }
}

}  // namespace vigil::sensor
