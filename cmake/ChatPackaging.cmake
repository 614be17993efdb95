# Debian packages with CPack (scripts/package.sh runs `cpack -G DEB`):
# lanchat-server (chat-server, its systemd unit, /etc/lanchat/chat-server.conf,
# its man page) and lanchat-client (chat-client, desktop entry, icons,
# metainfo, man page), one per install component, their library dependencies
# found by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lanchat)
set(CPACK_PACKAGE_VENDOR "The LAN chat team")
# The team has no mail address yet (lintian's bogus-mail-host, overridden in
# resources/packaging/lintian/): give a real one when building for others.
set(CHAT_PACKAGE_CONTACT "The LAN chat team <lanchat@localhost>" CACHE STRING
    "Maintainer of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${CHAT_PACKAGE_CONTACT}")
# The synopsis of each package is the first line of its own description, not
# the project's (CPack would put that in front of both).
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_CURRENT_LIST_DIR}/ChatCPackProject.cmake")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
if(CHAT_BUILD_CLIENT)
    set(CPACK_COMPONENTS_ALL server client)
else()
    set(CPACK_COMPONENTS_ALL server)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME lanchat-server)
# First line: the synopsis; then paragraphs (an empty line between), which
# CPack indents as Debian wants.
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "LAN chat server: chat rooms, browser client and Socket.IO on one port
chat-server serves chat rooms on the office or home network to the LAN chat
desktop client, to the browser client it serves itself, and to Socket.IO
pages and programs, on one port, with TLS if wanted. Messages are kept in an
embedded SQLite store and acknowledged only once committed.

It runs as a hardened systemd service with a user of its own; its settings
are in /etc/lanchat/chat-server.conf, and /healthz and /metrics are there for
monitoring.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/resources/packaging/server/conffiles"
    "${PROJECT_SOURCE_DIR}/resources/packaging/server/postinst"
    "${PROJECT_SOURCE_DIR}/resources/packaging/server/prerm"
    "${PROJECT_SOURCE_DIR}/resources/packaging/server/postrm")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The Qt SQLite driver is a plugin: no library link for shlibdeps to find.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite")
# Announcing the server on the LAN (DNS-SD) goes through Avahi when it runs.
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "avahi-daemon")
# --store postgresql://... loads Qt's PostgreSQL driver, also a plugin.
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "libqt6sql6-psql")

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME lanchat-client)
set(CPACK_DEBIAN_CLIENT_DESCRIPTION
    "LAN chat desktop client
The desktop client of the LAN chat server: rooms, messages, who is in a room
and who is typing, notifications for mentions. It reconnects by itself when
the network drops and keeps what is written offline until the server has
stored it.")
# Plugins again: SVG icons and the platform plugins are loaded, not linked.
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "libqt6svg6, qt6-qpa-plugins")
# Finding the LAN's servers goes through Avahi; notifications through the desktop's server.
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "avahi-daemon")

# Each package's /usr/share/doc: copyright, changelog (and the admin guide).
file(MAKE_DIRECTORY "${PROJECT_BINARY_DIR}/packaging")
add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz"
    COMMAND gzip -9nc "${PROJECT_SOURCE_DIR}/resources/packaging/changelog"
            > "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz"
    DEPENDS "${PROJECT_SOURCE_DIR}/resources/packaging/changelog" VERBATIM)
add_custom_target(packaging_changelog ALL DEPENDS "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz")
foreach(component IN LISTS CPACK_COMPONENTS_ALL)
    install(FILES "${PROJECT_SOURCE_DIR}/resources/packaging/copyright"
                  "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz"
            DESTINATION share/doc/lanchat-${component} COMPONENT ${component})
    # Each override explained in the file.
    install(FILES "${PROJECT_SOURCE_DIR}/resources/packaging/lintian/lanchat-${component}"
            DESTINATION share/lintian/overrides COMPONENT ${component})
endforeach()
install(FILES "${PROJECT_SOURCE_DIR}/docs/admin.md"
        DESTINATION share/doc/lanchat-server COMPONENT server)

include(CPack)
