#include "sensor/app/tls/x509_certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <ctime>
#include <memory>

namespace vigil::sensor {
namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

bool NameToString(const X509_NAME* name, std::string& out) {
  out.clear();
  if (name == nullptr) return false;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return false;
  // Forward order, ", " between RDNs, "=" without spaces, UTF-8 kept.
  // Control bytes are kept as they are (a NUL in a name must stay matchable).
  unsigned long flags = XN_FLAG_SEP_CPLUS_SPC | ASN1_STRFLGS_UTF8_CONVERT;
  if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) return false;
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  if (n > 0 && data != nullptr) out.assign(data, static_cast<size_t>(n));
  return true;
}

bool TimeToString(const ASN1_TIME* t, std::string& out) {
  out.clear();
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  char buf[32];
  size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  out.assign(buf, n);
  return n > 0;
}

void HexJoin(const unsigned char* p, size_t n, bool upper, std::string& out) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  out.clear();
  out.reserve(n * 3);
  for (size_t i = 0; i < n; ++i) {
    if (i) out.push_back(':');
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 0xf]);
  }
}

}  // namespace

void CertificateFields::Clear() {
  subject.clear();
  issuer.clear();
  serial.clear();
  not_before.clear();
  not_after.clear();
  fingerprint.clear();
  subject_alt_names.clear();
}

namespace {

// One DER tag-length-value. High tag numbers and indefinite lengths are not DER: rejected.
struct Tlv {
  uint8_t tag = 0;
  std::span<const uint8_t> value;
  std::span<const uint8_t> whole;
};

bool ReadTlv(std::span<const uint8_t>& in, Tlv& out) {
  if (in.size() < 2 || (in[0] & 0x1f) == 0x1f) return false;
  size_t len = in[1];
  size_t hdr = 2;
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 4 || in.size() < 2 + n) return false;
    len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | in[2 + i];
    hdr += n;
  }
  if (len > in.size() - hdr) return false;
  out.tag = in[0];
  out.value = in.subspan(hdr, len);
  out.whole = in.first(hdr + len);
  in = in.subspan(hdr + len);
  return true;
}

struct NameDeleter {
  void operator()(X509_NAME* n) const { X509_NAME_free(n); }
};
struct TimeDeleter {
  void operator()(ASN1_TIME* t) const { ASN1_TIME_free(t); }
};

bool DecodeName(const Tlv& tlv, std::string& out) {
  const unsigned char* p = tlv.whole.data();
  std::unique_ptr<X509_NAME, NameDeleter> name(
      d2i_X509_NAME(nullptr, &p, static_cast<long>(tlv.whole.size())));
  return name && NameToString(name.get(), out);
}

bool DecodeTime(const Tlv& tlv, std::string& out) {
  if (tlv.tag != 0x17 && tlv.tag != 0x18) return false;  // UTCTime / GeneralizedTime
  const unsigned char* p = tlv.whole.data();
  std::unique_ptr<ASN1_TIME, TimeDeleter> t(
      d2i_ASN1_TIME(nullptr, &p, static_cast<long>(tlv.whole.size())));
  return t && TimeToString(t.get(), out);
}

// extensions [3] EXPLICIT SEQUENCE OF Extension; Extension ::= SEQUENCE { extnID, critical
// BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. subjectAltName (2.5.29.17) holds
// GeneralNames, a SEQUENCE of tagged names; dNSName is [2] IA5String (tag 0x82).
void DecodeSubjectAltNames(std::span<const uint8_t> tbs_rest, std::vector<std::string>& out) {
  static constexpr uint8_t kSanOid[] = {0x55, 0x1d, 0x11};
  constexpr size_t kMaxNames = 1024;
  Tlv field;
  while (ReadTlv(tbs_rest, field)) {
    if (field.tag != 0xa3) continue;  // issuerUniqueID [1], subjectUniqueID [2]
    std::span<const uint8_t> wrap = field.value;
    Tlv list;
    if (!ReadTlv(wrap, list) || list.tag != 0x30) return;
    std::span<const uint8_t> exts = list.value;
    Tlv ext;
    while (ReadTlv(exts, ext)) {
      if (ext.tag != 0x30) return;
      std::span<const uint8_t> e = ext.value;
      Tlv oid, value;
      if (!ReadTlv(e, oid) || oid.tag != 0x06) return;
      if (!ReadTlv(e, value)) return;
      if (value.tag == 0x01 && !ReadTlv(e, value)) return;  // critical
      if (value.tag != 0x04) return;
      if (oid.value.size() != sizeof(kSanOid) ||
          !std::equal(oid.value.begin(), oid.value.end(), kSanOid)) {
        continue;
      }
      std::span<const uint8_t> gv = value.value;
      Tlv names;
      if (!ReadTlv(gv, names) || names.tag != 0x30) return;
      std::span<const uint8_t> n = names.value;
      Tlv name;
      while (ReadTlv(n, name) && out.size() < kMaxNames) {
        if (name.tag == 0x82) out.emplace_back(name.value.begin(), name.value.end());
      }
      return;
    }
    return;
  }
}

}  // namespace

bool DecodeCertificate(std::span<const uint8_t> der, CertificateFields& out, bool full_validation) {
  out.Clear();
  if (der.empty() || der.size() > (1u << 24)) return false;
  if (full_validation) {
    const unsigned char* p = der.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!x || p != der.data() + der.size()) return false;
  }
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  std::span<const uint8_t> in = der;
  Tlv cert, tbs, field;
  if (!ReadTlv(in, cert) || cert.tag != 0x30 || !in.empty()) return false;
  std::span<const uint8_t> c = cert.value;
  if (!ReadTlv(c, tbs) || tbs.tag != 0x30) return false;
  std::span<const uint8_t> t = tbs.value;
  if (!ReadTlv(t, field)) return false;
  if (field.tag == 0xa0 && !ReadTlv(t, field)) return false;  // [0] version
  if (field.tag != 0x02 || field.value.empty()) return false;   // serialNumber
  // The serial as its DER content octets (a positive serial with the top bit set keeps its
  // leading 00), the way Suricata prints it.
  HexJoin(field.value.data(), field.value.size(), true, out.serial);
  Tlv sigalg, issuer, validity, subject, not_before, not_after;
  if (!ReadTlv(t, sigalg) || sigalg.tag != 0x30) return false;
  if (!ReadTlv(t, issuer) || issuer.tag != 0x30) return false;
  if (!ReadTlv(t, validity) || validity.tag != 0x30) return false;
  if (!ReadTlv(t, subject) || subject.tag != 0x30) return false;
  DecodeSubjectAltNames(t, out.subject_alt_names);  // what follows the subject
  std::span<const uint8_t> v = validity.value;
  if (!ReadTlv(v, not_before) || !ReadTlv(v, not_after)) return false;
  if (!DecodeName(issuer, out.issuer) || !DecodeName(subject, out.subject)) return false;
  if (!DecodeTime(not_before, out.not_before) || !DecodeTime(not_after, out.not_after)) {
    return false;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  if (EVP_Digest(der.data(), der.size(), md, &mdlen, EVP_sha1(), nullptr) == 1) {
    HexJoin(md, mdlen, false, out.fingerprint);
  }
  return true;
}

}  // namespace vigil::sensor
