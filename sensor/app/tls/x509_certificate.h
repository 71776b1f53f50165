// X509Certificate: the fields of a server certificate that Suricata logs and matches, decoded
// from DER.
//
// The certificate's outer structure is walked here (bounds-checked DER: Certificate ->
// TBSCertificate -> serial, issuer, validity, subject); the Name and Time values are decoded by
// OpenSSL (d2i_X509_NAME / d2i_ASN1_TIME, RAII-wrapped) and printed by it. A full d2i_X509 is
// optional (`full_validation`): with OpenSSL 3 it also decodes the public key through the
// provider decoders, which costs ~150 us per certificate against ~5 us for the walk.
//
// subject / issuer are written in certificate order as "C=US, O=Example, CN=example.com";
// serial as uppercase colon-separated hex of the DER integer's content bytes ("00:AB:12", a
// leading 00 kept for positive serials whose first byte has its high bit set, as Suricata shows
// it); not_before / not_after as "2016-06-15T09:40:59" (UTC); fingerprint as the lowercase
// colon-separated SHA-1 of the DER ("4a:a3:...:18"); subject_alt_names from the
// subjectAltName extension's dNSName entries (other name forms are skipped). Names keep every
// byte the certificate holds: an embedded NUL stays a NUL, as Suricata matches tls.cert_subject.
//
//   CertificateFields f;
//   if (!DecodeCertificate(der, f)) ...   // raise tls.certificate_invalid_der
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil::sensor {

struct CertificateFields {
  std::string subject;
  std::string issuer;
  std::string serial;
  std::string not_before;
  std::string not_after;
  std::string fingerprint;
  std::vector<std::string> subject_alt_names;  // dNSName entries of subjectAltName, in order
  void Clear();
};

// Returns false when `der` is not one complete DER X.509 certificate (as far as checked: the
// walked fields, or everything with full_validation).
bool DecodeCertificate(std::span<const uint8_t> der, CertificateFields& out,
                       bool full_validation = false);

}  // namespace vigil::sensor
