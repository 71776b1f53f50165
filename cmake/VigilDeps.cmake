# Finds every third-party dependency from Debian 12 packages through pkg-config.
# A missing package stops configuration with the exact Debian package to install.
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

# vigil_require(<target-suffix> <pkg-config module> <debian package>)
function(vigil_require name module debpkg)
  pkg_check_modules(VIGIL_DEP_${name} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT VIGIL_DEP_${name}_FOUND)
    message(FATAL_ERROR
      "Vigil needs ${module} (pkg-config) which was not found.\n"
      "Install it with:  apt-get install ${debpkg}\n"
      "(scripts/test and scripts/demo install every dependency automatically)")
  endif()
  add_library(vigil::${name} ALIAS PkgConfig::VIGIL_DEP_${name})
  message(STATUS "Vigil: ${module} ${VIGIL_DEP_${name}_VERSION}")
endfunction()

vigil_require(pcap      libpcap     libpcap-dev)
vigil_require(hyperscan libhs       libhyperscan-dev)
vigil_require(zmq       libzmq      libzmq3-dev)
vigil_require(rocksdb   rocksdb     librocksdb-dev)
vigil_require(simdjson  simdjson    libsimdjson-dev)
vigil_require(yamlcpp   yaml-cpp    libyaml-cpp-dev)
vigil_require(pcre2     libpcre2-8  libpcre2-dev)
vigil_require(zlib      zlib        zlib1g-dev)
vigil_require(lz4       liblz4      liblz4-dev)
vigil_require(crypto    libcrypto   libssl-dev)
vigil_require(sodium    libsodium   libsodium-dev)
vigil_require(fmt       fmt         libfmt-dev)
vigil_require(gtest     gtest       libgtest-dev)
vigil_require(gtestmain gtest_main  libgtest-dev)
vigil_require(gmock     gmock       libgtest-dev)
vigil_require(benchmark benchmark   libbenchmark-dev)

# Header-only packages: check the header exists.
function(vigil_require_header header debpkg)
  find_path(VIGIL_HDR_${debpkg} ${header})
  if(NOT VIGIL_HDR_${debpkg})
    message(FATAL_ERROR "Vigil needs the header ${header} which was not found.\n"
                        "Install it with:  apt-get install ${debpkg}")
  endif()
endfunction()
vigil_require_header(zmq.hpp cppzmq-dev)
vigil_require_header(CLI/CLI.hpp libcli11-dev)

find_package(Threads REQUIRED)
