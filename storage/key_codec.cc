#include "storage/key_codec.h"

namespace vigil::storage {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

template <size_t N>
Status NeedBytes(std::string_view in, size_t pos) {
  if (pos > in.size() || in.size() - pos < N) {
    return Error(ErrorCode::kCorrupt, "key too short: need " + std::to_string(N) +
                                          " bytes at offset " + std::to_string(pos) + ", have " +
                                          std::to_string(in.size()));
  }
  return Ok();
}

}  // namespace

void PutU16BE(std::string* out, uint16_t v) {
  char b[2];
  EncodeU16BE(b, v);
  out->append(b, sizeof b);
}

void PutU32BE(std::string* out, uint32_t v) {
  char b[4];
  EncodeU32BE(b, v);
  out->append(b, sizeof b);
}

void PutU64BE(std::string* out, uint64_t v) {
  char b[8];
  EncodeU64BE(b, v);
  out->append(b, sizeof b);
}

void PutI64BE(std::string* out, int64_t v) { PutU64BE(out, static_cast<uint64_t>(v) ^ kSignBit); }

std::string U64Key(uint64_t v) {
  std::string k(8, '\0');
  EncodeU64BE(k.data(), v);
  return k;
}

Result<uint16_t> GetU16BE(std::string_view in, size_t pos) {
  VIGIL_CHECK_OK(NeedBytes<2>(in, pos));
  return DecodeU16BE(in.data() + pos);
}

Result<uint32_t> GetU32BE(std::string_view in, size_t pos) {
  VIGIL_CHECK_OK(NeedBytes<4>(in, pos));
  return DecodeU32BE(in.data() + pos);
}

Result<uint64_t> GetU64BE(std::string_view in, size_t pos) {
  VIGIL_CHECK_OK(NeedBytes<8>(in, pos));
  return DecodeU64BE(in.data() + pos);
}

Result<int64_t> GetI64BE(std::string_view in, size_t pos) {
  VIGIL_CHECK_OK(NeedBytes<8>(in, pos));
  return static_cast<int64_t>(DecodeU64BE(in.data() + pos) ^ kSignBit);
}

}  // namespace vigil::storage
