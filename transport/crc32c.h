// CRC32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78): the checksum of a transport
// frame. Uses the SSE4.2 crc32 instruction when the CPU has it and a slicing-by-8 table otherwise;
// both give identical results (tested against the RFC 3720 check value 0xE3069283 for "123456789").
//
//   uint32_t c = Crc32c(bytes);               // one shot
//   uint32_t c = Crc32cExtend(Crc32c(a), b);  // == Crc32c(a + b)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vigil::transport {

uint32_t Crc32cExtend(uint32_t crc, std::span<const std::byte> data);
inline uint32_t Crc32c(std::span<const std::byte> data) { return Crc32cExtend(0, data); }

// The portable table implementation, exposed so tests can compare it with the hardware path.
uint32_t Crc32cExtendPortable(uint32_t crc, std::span<const std::byte> data);

}  // namespace vigil::transport
