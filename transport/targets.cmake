# transport/: reliable authenticated channel (see README.md). Depends on core/ and storage/.
vigil_library(vigil_transport
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/crc32c.cc
    ${CMAKE_CURRENT_LIST_DIR}/frame.cc
    ${CMAKE_CURRENT_LIST_DIR}/spool.cc
    ${CMAKE_CURRENT_LIST_DIR}/curve_keys.cc
    ${CMAKE_CURRENT_LIST_DIR}/allow_list.cc
    ${CMAKE_CURRENT_LIST_DIR}/waker.cc
    ${CMAKE_CURRENT_LIST_DIR}/socket_monitor.cc
    ${CMAKE_CURRENT_LIST_DIR}/zap_handler.cc
    ${CMAKE_CURRENT_LIST_DIR}/control_message.cc
    ${CMAKE_CURRENT_LIST_DIR}/receiver.cc
    ${CMAKE_CURRENT_LIST_DIR}/sender.cc
    ${CMAKE_CURRENT_LIST_DIR}/transport_config.cc
  DEPS vigil_core vigil_storage vigil::zmq vigil::sodium vigil::lz4 Threads::Threads)
