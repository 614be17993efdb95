# Project-wide target settings: strict Qt definitions, warnings, sanitizers, test helper.

function(chat_target_defaults target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_NO_CONTEXTLESS_CONNECT
        QT_NO_FOREACH
        QT_USE_QSTRINGBUILDER
        CHAT_VERSION="${PROJECT_VERSION}")
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                                 -Wnon-virtual-dtor -Woverloaded-virtual)
        if(CHAT_WERROR)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()

if(CHAT_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# chat_add_test(NAME tst_foo SOURCES tst_foo.cpp LIBS chat_server [GUI])
function(chat_add_test name)
    # LAUNCHER: a command the test runs under (dbus-run-session --).
    cmake_parse_arguments(arg "GUI" "TIMEOUT" "SOURCES;LIBS;LAUNCHER" ${ARGN})
    qt_add_executable(${name} ${arg_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${arg_LIBS})
    chat_target_defaults(${name})
    set_target_properties(${name} PROPERTIES MACOSX_BUNDLE OFF WIN32_EXECUTABLE OFF)
    add_test(NAME ${name} COMMAND ${arg_LAUNCHER} $<TARGET_FILE:${name}>)
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    set(env "QT_QPA_PLATFORM=offscreen")
    list(APPEND env "CHAT_SERVER_BIN=$<TARGET_FILE:chat-server>")
    set_tests_properties(${name} PROPERTIES TIMEOUT ${arg_TIMEOUT} ENVIRONMENT "${env}")
endfunction()

# A Node test script against the real chat-server (CHAT_SERVER_BIN), when node
# is there: chat_add_node_test(NAME SCRIPT [TIMEOUT seconds] [ENVIRONMENT VAR=value...]).
function(chat_add_node_test name script)
    cmake_parse_arguments(arg "" "TIMEOUT" "ENVIRONMENT" ${ARGN})
    find_program(NODE_EXECUTABLE node)
    if(NOT NODE_EXECUTABLE)
        message(WARNING "node not found: ${name} is not registered")
        return()
    endif()
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    add_test(NAME ${name} COMMAND ${NODE_EXECUTABLE} ${script})
    set_tests_properties(${name} PROPERTIES TIMEOUT ${arg_TIMEOUT}
        ENVIRONMENT "CHAT_SERVER_BIN=$<TARGET_FILE:chat-server>;${arg_ENVIRONMENT}")
endfunction()
