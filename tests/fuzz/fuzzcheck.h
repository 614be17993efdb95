// What every fuzz target checks with: a property that must hold, or the run
// aborts (libFuzzer keeps the input that broke it).
#pragma once

#include <cstdlib>

namespace Chat::Fuzz {

inline void require(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace Chat::Fuzz
