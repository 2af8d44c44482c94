# pilar_install.cmake: run by cmake --install (and by CPack) after the
# binaries are in place: the configuration, its catalog, the systemd
# unit and the logrotate file.  Where they go is decided here because
# the prefix is known only at install time: /etc when it is /usr
# (Debian's layout, the .deb), PREFIX/etc otherwise, so that
# cmake --install build --prefix /tmp/x writes nothing outside /tmp/x.
# The unit names the binaries and the configuration where they went.
#
# In (from install(CODE) in CMakeLists.txt): PILAR_SRC, PILAR_BUILD,
# PILAR_BINDIR and PILAR_UNITDIR (relative to the prefix).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(pilar_etc /etc)
else()
  set(pilar_etc "${CMAKE_INSTALL_PREFIX}/etc")
endif()

file(INSTALL DESTINATION "${pilar_etc}/pilar" TYPE FILE
  FILES "${PILAR_SRC}/conf/pilar.conf")
file(INSTALL DESTINATION "${pilar_etc}/pilar" TYPE DIRECTORY
  FILES "${PILAR_SRC}/conf/catalog")
file(INSTALL DESTINATION "${pilar_etc}/logrotate.d" TYPE FILE
  RENAME pilar FILES "${PILAR_SRC}/conf/pilar.logrotate")

# conf/pilar.service names the .deb's paths.
file(READ "${PILAR_SRC}/conf/pilar.service" pilar_unit)
string(REPLACE "/usr/bin/" "${CMAKE_INSTALL_PREFIX}/${PILAR_BINDIR}/"
  pilar_unit "${pilar_unit}")
string(REPLACE "/etc/pilar/" "${pilar_etc}/pilar/" pilar_unit
  "${pilar_unit}")
file(WRITE "${PILAR_BUILD}/pilar.service" "${pilar_unit}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${PILAR_UNITDIR}"
  TYPE FILE FILES "${PILAR_BUILD}/pilar.service")
