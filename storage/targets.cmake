# storage/: RocksDB wrapper (see README.md). Depends only on core/.
vigil_library(vigil_storage
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/key_codec.cc
    ${CMAKE_CURRENT_LIST_DIR}/rocksdb_status.cc
    ${CMAKE_CURRENT_LIST_DIR}/write_batch.cc
    ${CMAKE_CURRENT_LIST_DIR}/iterator.cc
    ${CMAKE_CURRENT_LIST_DIR}/db.cc
    ${CMAKE_CURRENT_LIST_DIR}/range_delete.cc
    ${CMAKE_CURRENT_LIST_DIR}/allocator_tuning.cc
  DEPS vigil_core vigil::rocksdb)
