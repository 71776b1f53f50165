// TwoStreams: a fuzz input cut at its first "\xff\xff" into a client stream and a server
// stream (the server stream is empty when there is no cut). Used by the differential parser
// targets that feed both directions whole and in pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

struct TwoStreams {
  std::string_view client;
  std::string_view server;
};

inline TwoStreams SplitTwoStreams(std::string_view in) {
  size_t cut = in.find("\xff\xff");
  if (cut == std::string_view::npos) return {in, {}};
  return {in.substr(0, cut), in.substr(cut + 2)};
}

// Feeds `v` to `parser.OnData(direction, bytes)` in pieces of `piece` bytes (the last one shorter).
template <typename Parser, typename Direction>
void FeedInPieces(Parser& parser, Direction direction, std::string_view v, size_t piece) {
  for (size_t i = 0; i < v.size(); i += piece) {
    const std::string_view part = v.substr(i, piece);
    parser.OnData(direction, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(part.data()), part.size()));
  }
}
