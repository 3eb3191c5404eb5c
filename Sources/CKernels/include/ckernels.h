#ifndef POINTAD_CKERNELS_H
#define POINTAD_CKERNELS_H

#include <stddef.h>

/// Vector kernels compiled twice, for AVX-512 and for AVX2+FMA, and chosen once at run time from
/// what the processor supports (`__builtin_cpu_supports`), so one binary uses 512-bit vectors
/// where they exist and still runs on any x86-64-v3 machine. Other architectures get the same
/// code built for their default vector width.

/// The instruction set the kernels run with: "avx512", "avx2" or "generic".
const char *pointad_kernels_isa(void);

/// The same as a number: 2 = AVX-512, 1 = AVX2, 0 = generic.
int pointad_kernels_isa_level(void);

/// Floats of scratch `pointad_attention_head` needs for `length` tokens of `head_size`.
size_t pointad_attention_scratch_floats(long length, long head_size);

/// Scaled dot-product attention of one head of one sequence, not masked:
///   o_i = sum_j softmax_j(scale * q_i . k_j) v_j,  i, j < length.
/// q, k, v, o are row-major with leading dimensions ldq, ldk, ldv, ldo (the head's columns of a
/// wider buffer). head_size must be a multiple of 16. The scores never leave a block of a few
/// query rows (they stay in cache), the softmax's normalisation is folded into the output, and
/// keys are packed once per call so the score loop reads them contiguously.
void pointad_attention_head(const float *q, long ldq, const float *k, long ldk, const float *v, long ldv,
                            float *o, long ldo, long length, long head_size, float scale, float *scratch);

/// `pointad_attention_head` with the instruction set forced to `isa` (or the best supported
/// below it), so tests can check every variant the machine can run against each other.
void pointad_attention_head_isa(int isa, const float *q, long ldq, const float *k, long ldk, const float *v, long ldv,
                                float *o, long ldo, long length, long head_size, float scale, float *scratch);

#endif
