#include "cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

int pointad_cpu_vector_flags(void) {
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the wide registers (XCR0), so a
    // flag set here means the instructions can really run.
    __builtin_cpu_init();
    int flags = 0;
    if (__builtin_cpu_supports("avx")) flags |= POINTAD_CPU_AVX;
    if (__builtin_cpu_supports("fma")) flags |= POINTAD_CPU_FMA;
    if (__builtin_cpu_supports("avx2")) flags |= POINTAD_CPU_AVX2;
    if (__builtin_cpu_supports("avx512f")) flags |= POINTAD_CPU_AVX512F;
    return flags;
#else
    return 0;
#endif
}

void pointad_cpu_signature(int *family, int *model) {
    *family = 0;
    *model = 0;
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return;
    unsigned int base_family = (eax >> 8) & 0xf, base_model = (eax >> 4) & 0xf;
    unsigned int ext_family = (eax >> 20) & 0xff, ext_model = (eax >> 16) & 0xf;
    // Intel's and AMD's rule for the displayed values.
    *family = (int)(base_family == 0xf ? base_family + ext_family : base_family);
    *model = (int)(base_family == 0x6 || base_family == 0xf ? (ext_model << 4) + base_model : base_model);
#endif
}
