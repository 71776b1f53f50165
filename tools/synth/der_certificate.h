// DerCertificate: a structurally valid self-signed X.509 v3 certificate in DER (ECDSA P-256
// key, ecdsa-with-SHA256 signature, CN and subjectAltName = the host name) for the Certificate
// message of TLS 1.2 flows. Key and signature bytes are random: decoders (tshark, Vigil's TLS
// parser) read every field, but nothing verifies the signature. Built from the flow's Rng so
// output stays deterministic; OpenSSL key generation would not be.
//
//   std::vector<uint8_t> der; WriteSelfSignedCertificate(rng, "www.example.com", not_before_s, der);
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tools/synth/rng.h"

namespace vigil::synth {

void WriteSelfSignedCertificate(Rng& rng, std::string_view host, int64_t not_before_s,
                                std::vector<uint8_t>& out);

}  // namespace vigil::synth
