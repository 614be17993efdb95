// What a job on the accounts worker gives back (AccountService).
#pragma once

#include <optional>
#include <utility>

namespace Chat {

// What a job on the worker gives back: GCC's maybe-uninitialized warnings trip
// over a std::optional of a Qt container carried through the worker's lambdas.
template<typename T> struct Answer
{
    bool ok = false;
    T value {};
};

template<typename T> Answer<T> answer(std::optional<T> v)
{
    Answer<T> a;
    a.ok = v.has_value();
    if (v)
        a.value = std::move(*v);
    return a;
}

} // namespace Chat
