# correlator/targets.cmake: the vigil-correlator program (receive + store; see README.md).
vigil_executable(vigil-correlator
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/main.cc
  DEPS vigil_correlator_publish vigil_correlator_tier vigil_correlator_store vigil_correlator_engine vigil_correlator_ingest
       vigil_transport vigil_storage vigil_core_control vigil_core vigil::fmt Threads::Threads)
