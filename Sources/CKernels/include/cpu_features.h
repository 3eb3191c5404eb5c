#ifndef POINTAD_CPU_FEATURES_H
#define POINTAD_CPU_FEATURES_H

/// Bits of `pointad_cpu_vector_flags`: what the processor and the operating system support.
#define POINTAD_CPU_AVX 1
#define POINTAD_CPU_FMA 2
#define POINTAD_CPU_AVX2 4
#define POINTAD_CPU_AVX512F 8

/// The vector extensions usable here, from cpuid (0 on processors other than x86-64). Used to
/// tell the user when OpenBLAS runs a kernel far narrower than the processor's vectors.
int pointad_cpu_vector_flags(void);

/// The processor's display family and model from cpuid leaf 1 (both 0 off x86-64), as
/// /proc/cpuinfo and OpenBLAS's own detection read them.
void pointad_cpu_signature(int *family, int *model);

#endif
