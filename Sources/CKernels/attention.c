#include "ckernels.h"
#include <stdint.h>
#include <string.h>

/* Scores are computed for up to ROWS_MAX query rows at a time, over keys padded to a multiple of
   PAD (the widest score step: 2 vectors of 16). */
#define ROWS_MAX 8
#define PAD 32

static long padded_length(long length) { return (length + PAD - 1) / PAD * PAD; }

#if defined(__x86_64__)
typedef float v16 __attribute__((vector_size(64), aligned(4)));
typedef int32_t v16i __attribute__((vector_size(64), aligned(4)));
typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef int32_t v8i __attribute__((vector_size(32), aligned(4)));

#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma,avx2"))), apply_to = function)
#define FN(name) name##_avx512
#define VEC v16
#define VECI v16i
#define VW 16
#define ROWS 8
#define SCORE_VECS 2
#define PV_VECS 2
#include "attention_body.h"
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define FN(name) name##_avx2
#define VEC v8
#define VECI v8i
#define VW 8
#define ROWS 4
#define SCORE_VECS 2
#define PV_VECS 2
#include "attention_body.h"
#pragma clang attribute pop
#endif

/* Any processor: 4-lane vectors (SSE2 on x86-64, NEON on arm64). */
typedef float v4 __attribute__((vector_size(16), aligned(4)));
typedef int32_t v4i __attribute__((vector_size(16), aligned(4)));
#define FN(name) name##_generic
#define VEC v4
#define VECI v4i
#define VW 4
#define ROWS 4
#define SCORE_VECS 2
#define PV_VECS 2
#include "attention_body.h"

static int chosen_isa(void) {
#if defined(__x86_64__)
    static int isa = -1;
    if (isa < 0) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512dq"))
            isa = 2;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            isa = 1;
        else
            isa = 0;
    }
    return isa;
#else
    return 0;
#endif
}

int pointad_kernels_isa_level(void) { return chosen_isa(); }

const char *pointad_kernels_isa(void) {
    switch (chosen_isa()) {
    case 2: return "avx512";
    case 1: return "avx2";
    default: return "generic";
    }
}

size_t pointad_attention_scratch_floats(long length, long head_size) {
    long lp = padded_length(length);
    return (size_t)(head_size * lp + ROWS_MAX * lp);
}

void pointad_attention_head_isa(int isa, const float *q, long ldq, const float *k, long ldk, const float *v, long ldv,
                                float *o, long ldo, long length, long head_size, float scale, float *scratch) {
    if (length <= 0) return;
    if (isa > chosen_isa()) isa = chosen_isa();
#if defined(__x86_64__)
    switch (isa) {
    case 2: attention_head_avx512(q, ldq, k, ldk, v, ldv, o, ldo, length, head_size, scale, scratch); return;
    case 1: attention_head_avx2(q, ldq, k, ldk, v, ldv, o, ldo, length, head_size, scale, scratch); return;
    default: break;
    }
#endif
    attention_head_generic(q, ldq, k, ldk, v, ldv, o, ldo, length, head_size, scale, scratch);
}

void pointad_attention_head(const float *q, long ldq, const float *k, long ldk, const float *v, long ldv,
                            float *o, long ldo, long length, long head_size, float scale, float *scratch) {
    pointad_attention_head_isa(chosen_isa(), q, ldq, k, ldk, v, ldv, o, ldo, length, head_size, scale, scratch);
}
