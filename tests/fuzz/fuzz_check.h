// FUZZ_CHECK(cond): a fuzz target's invariant. When it does not hold, names the condition and
// its place on stderr and aborts, which libFuzzer reports as a crash and saves the input.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);  \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)
