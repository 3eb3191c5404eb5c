/* One attention head, written once with clang vector types and included by attention.c once per
   instruction set. The includer defines FN(name) (a per-variant name), VEC (the vector type) and
   VW (its float lanes), ROWS (query rows per block), SCORE_VECS (key vectors per score step),
   PV_VECS (output vectors accumulated at once), and wraps the include in a target attribute; the
   end of this file undefines them for the next variant. */

static inline __attribute__((always_inline)) VEC FN(load)(const float *p) { VEC x; memcpy(&x, p, sizeof(VEC)); return x; }
static inline __attribute__((always_inline)) void FN(store)(float *p, VEC x) { memcpy(p, &x, sizeof(VEC)); }

/* e^x: the Cephes expf polynomial, the same arithmetic as Swift's FastMath.exp (relative error
   <= 2e-7 on [-87, 88], saturating outside). */
static inline __attribute__((always_inline)) VEC FN(exp)(VEC value) {
    VEC x = __builtin_elementwise_min(__builtin_elementwise_max(value, (VEC){0} - 87.3f), (VEC){0} + 88.3f);
    VEC fx = x * 1.44269504088896341f;
    VEC shifted = fx + 12582912.0f;
    VECI n = (VECI)shifted - 0x4B400000;
    VEC nf = shifted - 12582912.0f;
    VEC r = x - nf * 0.693359375f;
    r = r - nf * -2.12194440e-4f;
    VEC p = (VEC){0} + 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    VEC y = p * r * r + r + 1.0f;
    VEC scale = (VEC)((n + 127) << 23);
    return y * scale;
}

/* s[r][j] = scale * q_(i0+r) . k_j for a block of ROWS query rows; kt is [d][lp]. */
static void FN(scores)(const float *q, long ldq, const float *kt, long lp, long d, long i0, long length,
                       float scale, float *s) {
    const float *qr[ROWS];
    for (int r = 0; r < ROWS; r++) qr[r] = q + (i0 + r < length ? i0 + r : length - 1) * ldq;
    for (long j = 0; j < lp; j += VW * SCORE_VECS) {
        VEC acc[ROWS][SCORE_VECS];
        for (int r = 0; r < ROWS; r++) for (int u = 0; u < SCORE_VECS; u++) acc[r][u] = (VEC){0};
        const float *col = kt + j;
        for (long c = 0; c < d; c++) {
            VEC b[SCORE_VECS];
            for (int u = 0; u < SCORE_VECS; u++) b[u] = FN(load)(col + c * lp + u * VW);
            for (int r = 0; r < ROWS; r++) {
                float a = qr[r][c];
                for (int u = 0; u < SCORE_VECS; u++) acc[r][u] += a * b[u];
            }
        }
        for (int r = 0; r < ROWS; r++) for (int u = 0; u < SCORE_VECS; u++) FN(store)(s + r * lp + j + u * VW, acc[r][u] * scale);
    }
}

/* p_j = exp(p_j - max) over the row's first `length` entries, padding set to 0; returns 1/sum. */
static float FN(softmax_row)(float *p, long length, long lp) {
    VEC m = (VEC){0} - 3.0e38f;
    long j = 0;
    for (; j + VW <= length; j += VW) m = __builtin_elementwise_max(m, FN(load)(p + j));
    float mx = __builtin_reduce_max(m);
    for (; j < length; j++) mx = p[j] > mx ? p[j] : mx;
    VEC sum = (VEC){0};
    for (j = 0; j + VW <= length; j += VW) {
        VEC e = FN(exp)(FN(load)(p + j) - mx);
        FN(store)(p + j, e);
        sum += e;
    }
    float total = 0;
    for (int i = 0; i < VW; i++) total += sum[i];
    for (; j < length; j++) { float e = FN(exp)((VEC){0} + (p[j] - mx))[0]; p[j] = e; total += e; }
    for (; j < lp; j++) p[j] = 0;
    return 1.0f / total;
}

/* o_(i0+r) = inv[r] * sum_j s[r][j] v_j for the block's valid rows. */
static void FN(weighted_values)(const float *s, long lp, const float *v, long ldv, long d, long i0, long length,
                                const float *inv, float *o, long ldo) {
    int rows = length - i0 < ROWS ? (int)(length - i0) : ROWS;
    for (long c0 = 0; c0 < d; c0 += VW * PV_VECS) {
        int vecs = (int)((d - c0) / VW) < PV_VECS ? (int)((d - c0) / VW) : PV_VECS;
        VEC acc[ROWS][PV_VECS];
        for (int r = 0; r < ROWS; r++) for (int u = 0; u < PV_VECS; u++) acc[r][u] = (VEC){0};
        if (vecs == PV_VECS) {
            for (long j = 0; j < length; j++) {
                VEC b[PV_VECS];
                for (int u = 0; u < PV_VECS; u++) b[u] = FN(load)(v + j * ldv + c0 + u * VW);
                for (int r = 0; r < ROWS; r++) {
                    float w = s[r * lp + j];
                    for (int u = 0; u < PV_VECS; u++) acc[r][u] += w * b[u];
                }
            }
        } else {
            for (long j = 0; j < length; j++)
                for (int u = 0; u < vecs; u++) {
                    VEC b = FN(load)(v + j * ldv + c0 + u * VW);
                    for (int r = 0; r < ROWS; r++) acc[r][u] += s[r * lp + j] * b;
                }
        }
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < vecs; u++) FN(store)(o + (i0 + r) * ldo + c0 + u * VW, acc[r][u] * inv[r]);
    }
}

static void FN(attention_head)(const float *q, long ldq, const float *k, long ldk, const float *v, long ldv,
                               float *o, long ldo, long length, long d, float scale, float *scratch) {
    long lp = padded_length(length);
    float *kt = scratch, *s = scratch + d * lp;
    /* Keys transposed to [d][lp], zero-padded: the score loop then reads consecutive keys per load. */
    for (long c = 0; c < d; c++) {
        float *row = kt + c * lp;
        for (long j = 0; j < length; j++) row[j] = k[j * ldk + c];
        for (long j = length; j < lp; j++) row[j] = 0;
    }
    float inv[ROWS];
    for (long i0 = 0; i0 < length; i0 += ROWS) {
        FN(scores)(q, ldq, kt, lp, d, i0, length, scale, s);
        for (int r = 0; r < ROWS; r++) inv[r] = FN(softmax_row)(s + r * lp, length, lp);
        FN(weighted_values)(s, lp, v, ldv, d, i0, length, inv, o, ldo);
    }
}

/* Each inclusion defines its own variant: the parameters are cleared for the next one. */
#undef FN
#undef VEC
#undef VECI
#undef VW
#undef ROWS
#undef SCORE_VECS
#undef PV_VECS
