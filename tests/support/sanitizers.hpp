#pragma once

// Whether this test program runs under AddressSanitizer, which reserves terabytes of shadow
// address space: a test that caps the address space (ulimit -v) cannot run under it. GCC says
// so with __SANITIZE_ADDRESS__, clang through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define RECKON_TEST_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RECKON_TEST_ADDRESS_SANITIZER 1
#endif
#endif

namespace reckon::test {

#ifdef RECKON_TEST_ADDRESS_SANITIZER
inline constexpr bool k_address_sanitizer = true;
#else
inline constexpr bool k_address_sanitizer = false;
#endif

} // namespace reckon::test
