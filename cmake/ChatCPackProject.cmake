# Read by cpack itself (CPACK_PROJECT_CONFIG_FILE): each package's synopsis is
# the first line of its CPACK_DEBIAN_<COMPONENT>_DESCRIPTION.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
