# Install rules for the boot integration: SysV scripts, systemd units and the example defaults
# files, where Debian and RHEL expect them. Included by the top CMakeLists.txt (which installs the
# lvsctl binary itself). Every script and unit that exists in init.d/ is installed, with
# /usr/sbin/lvsctl replaced by the binary's real install path.
#
#   cmake --install build                       # into the live system
#   DESTDIR=/tmp/pkg cmake --install build      # into a staging tree for a package
#
# Cache variables (absolute paths, DESTDIR applies):
#   LVSCTL_INIT_STYLE       auto | debian | rhel (auto: rhel when /etc/redhat-release exists)
#   LVSCTL_INITDIR          SysV init scripts         (debian: /etc/init.d, rhel: /etc/rc.d/init.d)
#   LVSCTL_DEFAULTSDIR      defaults files            (debian: /etc/default, rhel: /etc/sysconfig)
#   LVSCTL_SYSTEMDUNITDIR   systemd system units      (pkg-config systemd, else /usr/lib/systemd/system)
# An existing defaults file is never overwritten (it holds the admin's settings).
# (file(INSTALL) adds DESTDIR itself; only the existence check spells it out.)

set(LVSCTL_INIT_STYLE "auto" CACHE STRING "auto, debian or rhel: where init scripts and defaults go")
set_property(CACHE LVSCTL_INIT_STYLE PROPERTY STRINGS auto debian rhel)
set(_lvsctl_style "${LVSCTL_INIT_STYLE}")
if(_lvsctl_style STREQUAL "auto")
  if(EXISTS "/etc/redhat-release")
    set(_lvsctl_style rhel)
  else()
    set(_lvsctl_style debian)
  endif()
endif()
if(_lvsctl_style STREQUAL "rhel")
  set(_lvsctl_initdir "/etc/rc.d/init.d")
  set(_lvsctl_defaultsdir "/etc/sysconfig")
else()
  set(_lvsctl_initdir "/etc/init.d")
  set(_lvsctl_defaultsdir "/etc/default")
endif()
set(_lvsctl_unitdir "/usr/lib/systemd/system")
pkg_get_variable(_lvsctl_pc_unitdir systemd systemdsystemunitdir)
if(_lvsctl_pc_unitdir)
  set(_lvsctl_unitdir "${_lvsctl_pc_unitdir}")
endif()
set(LVSCTL_INITDIR "${_lvsctl_initdir}" CACHE PATH "Where SysV init scripts are installed")
set(LVSCTL_DEFAULTSDIR "${_lvsctl_defaultsdir}" CACHE PATH "Where defaults files are installed")
set(LVSCTL_SYSTEMDUNITDIR "${_lvsctl_unitdir}" CACHE PATH "Where systemd units are installed")

# Scripts and units with the lvsctl path of this install.
set(_lvsctl_initd_src "${PROJECT_SOURCE_DIR}/init.d")
set(_lvsctl_initd_out "${PROJECT_BINARY_DIR}/init.d")
set(_lvsctl_sbin "${CMAKE_INSTALL_FULL_SBINDIR}/lvsctl")
file(GLOB _lvsctl_scripts CONFIGURE_DEPENDS "${_lvsctl_initd_src}/lvs-*")
foreach(src IN LISTS _lvsctl_scripts)
  get_filename_component(name "${src}" NAME)
  if(name MATCHES "\\.default$")
    continue()
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${src}")
  file(READ "${src}" text)
  string(REPLACE "/usr/sbin/lvsctl" "${_lvsctl_sbin}" text "${text}")
  file(WRITE "${_lvsctl_initd_out}/${name}" "${text}")
  if(name MATCHES "\\.(service|socket|timer|target)$")
    install(FILES "${_lvsctl_initd_out}/${name}" DESTINATION "${LVSCTL_SYSTEMDUNITDIR}")
  else()
    install(PROGRAMS "${_lvsctl_initd_out}/${name}" DESTINATION "${LVSCTL_INITDIR}")
  endif()
endforeach()

# Example defaults files: lvs-realsvr.default -> ${LVSCTL_DEFAULTSDIR}/lvs-realsvr, unless the
# admin already has one.
file(GLOB _lvsctl_defaults CONFIGURE_DEPENDS "${_lvsctl_initd_src}/*.default")
foreach(src IN LISTS _lvsctl_defaults)
  get_filename_component(name "${src}" NAME_WE)
  install(CODE "
    set(dest \"\$ENV{DESTDIR}${LVSCTL_DEFAULTSDIR}/${name}\")
    if(EXISTS \"\${dest}\")
      message(STATUS \"Keeping existing: \${dest}\")
    else()
      file(INSTALL \"${src}\" DESTINATION \"${LVSCTL_DEFAULTSDIR}\"
           RENAME \"${name}\" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    endif()")
endforeach()
