#pragma once

// Include first in any file that uses x86 intrinsics or instantiates xsimd's AVX-512 kernels.
// GCC 12 reports the deliberately undefined registers of its own AVX-512 intrinsics
// (_mm512_undefined_epi32) as uninitialized once they are inlined into our code (GCC bug
// 105593, fixed in GCC 13). The diagnostic state that counts is the one at the intrinsic's
// line, so it is switched off around the header's first inclusion only, not for our code.
#if defined(__x86_64__) || defined(__i386__)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif
#endif
