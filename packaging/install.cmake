# SPDX-License-Identifier: Apache-2.0
# Install rules for what an operator reads: the man page (from docs/man/*.scd with scdoc, when
# scdoc is there), bash completion, the docs and an example configuration. The example goes to
# the documentation folder, never to /etc/keepalived/keepalived.conf.
find_program(SCDOC scdoc)
file(GLOB _lvsctl_man_sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/man/*.scd")
set(_lvsctl_man_outputs)
if(SCDOC)
  foreach(src IN LISTS _lvsctl_man_sources)
    get_filename_component(page "${src}" NAME_WLE)         # lvsctl.8
    string(REGEX MATCH "[0-9]$" section "${page}")
    set(out "${PROJECT_BINARY_DIR}/man/${page}")
    add_custom_command(OUTPUT "${out}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/man"
      COMMAND sh -c "'${SCDOC}' < '${src}' > '${out}'"
      DEPENDS "${src}" COMMENT "scdoc ${page}" VERBATIM)
    list(APPEND _lvsctl_man_outputs "${out}")
    install(FILES "${out}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${section}" OPTIONAL)
  endforeach()
  add_custom_target(man ALL DEPENDS ${_lvsctl_man_outputs})
else()
  message(STATUS "scdoc not found: the man page is not built (apt-get install scdoc)")
endif()

install(FILES "${PROJECT_SOURCE_DIR}/packaging/bash-completion/lvsctl"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
file(GLOB _lvsctl_docs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/LICENSE" ${_lvsctl_docs}
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/packaging/keepalived.conf.example"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples" RENAME keepalived.conf)
