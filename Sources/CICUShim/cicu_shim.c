#include "cicu_shim.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>

int32_t hl_icu_version_major(void) { return U_ICU_VERSION_MAJOR_NUM; }

#define HL_PIVOT 8192
struct hl_conv {
  UConverter *src;
  UConverter *utf8;
  UChar pivot[HL_PIVOT];
  UChar *pivotSource;
  UChar *pivotTarget;
  int started;
};

hl_conv *hl_conv_open(const char *charset, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  hl_conv *c = (hl_conv *)calloc(1, sizeof(hl_conv));
  if (!c) { *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
  c->src = ucnv_open(charset, &e);
  if (U_FAILURE(e)) { *status = e; free(c); return NULL; }
  c->utf8 = ucnv_open("UTF-8", &e);
  if (U_FAILURE(e)) { *status = e; ucnv_close(c->src); free(c); return NULL; }
  c->pivotSource = c->pivot;
  c->pivotTarget = c->pivot;
  *status = U_ZERO_ERROR;
  return c;
}

void hl_conv_close(hl_conv *c) {
  if (!c) return;
  ucnv_close(c->src);
  ucnv_close(c->utf8);
  free(c);
}

int32_t hl_conv_to_utf8(hl_conv *c, const char *src, int32_t srcLen, int32_t *consumed,
                        char *dst, int32_t cap, int32_t flush, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  char *target = dst;
  const char *source = src;
  ucnv_convertEx(c->utf8, c->src, &target, dst + cap, &source, src + srcLen, c->pivot,
                 &c->pivotSource, &c->pivotTarget, c->pivot + HL_PIVOT,
                 c->started ? 0 : 1, flush ? 1 : 0, &e);
  c->started = 1;
  *consumed = (int32_t)(source - src);
  if (e == U_BUFFER_OVERFLOW_ERROR) e = U_ZERO_ERROR; /* caller calls again */
  *status = e;
  return (int32_t)(target - dst);
}

const char *hl_conv_name(const hl_conv *c) {
  UErrorCode e = U_ZERO_ERROR;
  const char *n = ucnv_getName(c->src, &e);
  return U_FAILURE(e) ? "" : n;
}

typedef struct { int32_t count; } hl_illegal_ctx;

static void hl_count_cb(const void *context, UConverterToUnicodeArgs *args, const char *codeUnits,
                        int32_t length, UConverterCallbackReason reason, UErrorCode *err) {
  (void)codeUnits; (void)length;
  if (reason == UCNV_ILLEGAL || reason == UCNV_UNASSIGNED || reason == UCNV_IRREGULAR) {
    ((hl_illegal_ctx *)context)->count++;
    *err = U_ZERO_ERROR; /* skip the bytes */
  }
  (void)args;
}

int32_t hl_conv_count_illegal(const char *charset, const char *src, int32_t srcLen) {
  UErrorCode e = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open(charset, &e);
  if (U_FAILURE(e)) return -1;
  hl_illegal_ctx ctx = {0};
  const void *oldCtx; UConverterToUCallback oldCb;
  ucnv_setToUCallBack(cnv, (UConverterToUCallback)hl_count_cb, &ctx, &oldCb, &oldCtx, &e);
  UChar buf[4096];
  const char *s = src, *limit = src + srcLen;
  while (s < limit && ctx.count < 1000) {
    UChar *t = buf;
    e = U_ZERO_ERROR;
    ucnv_toUnicode(cnv, &t, buf + 4096, &s, limit, NULL, 0 /* no flush: tolerate a cut tail */, &e);
    if (U_FAILURE(e) && e != U_BUFFER_OVERFLOW_ERROR) break;
  }
  ucnv_close(cnv);
  return ctx.count;
}

int32_t hl_detect_charset(const char *src, int32_t srcLen, char *name, int32_t nameCap,
                          int32_t *confidence, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  if (nameCap > 0) name[0] = 0;
  *confidence = 0;
  UCharsetDetector *d = ucsdet_open(&e);
  if (U_FAILURE(e)) { *status = e; return 0; }
  ucsdet_setText(d, src, srcLen, &e);
  const UCharsetMatch *m = ucsdet_detect(d, &e);
  int32_t found = 0;
  if (U_SUCCESS(e) && m) {
    const char *n = ucsdet_getName(m, &e);
    int32_t conf = ucsdet_getConfidence(m, &e);
    if (U_SUCCESS(e) && n) {
      strncpy(name, n, (size_t)(nameCap > 0 ? nameCap - 1 : 0));
      if (nameCap > 0) name[nameCap - 1] = 0;
      *confidence = conf;
      found = 1;
    }
  }
  ucsdet_close(d);
  *status = U_FAILURE(e) ? e : 0;
  return found;
}

/* ---- Word break ---- */
#include <unicode/ubrk.h>
#include <unicode/utrans.h>
#include <unicode/uset.h>

hl_wordbreaker *hl_wb_open(const char *locale, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &e);
  if (U_FAILURE(e)) { *status = e; return NULL; }
  *status = U_ZERO_ERROR; /* U_USING_DEFAULT_WARNING for "zh" is harmless */
  return (hl_wordbreaker *)bi;
}

void hl_wb_close(hl_wordbreaker *wb) {
  if (wb) ubrk_close((UBreakIterator *)wb);
}

int32_t hl_wb_tokens(hl_wordbreaker *wb, const uint16_t *text, int32_t len, int32_t includeNone,
                     int32_t *starts, int32_t *ends, int32_t *kinds, int32_t cap, int32_t *status) {
  UBreakIterator *bi = (UBreakIterator *)wb;
  UErrorCode e = U_ZERO_ERROR;
  ubrk_setText(bi, (const UChar *)text, len, &e);
  if (U_FAILURE(e)) { *status = e; return 0; }
  int32_t n = 0, start = ubrk_first(bi), end;
  while ((end = ubrk_next(bi)) != UBRK_DONE) {
    int32_t st = ubrk_getRuleStatus(bi);
    if (st >= UBRK_WORD_NONE_LIMIT || includeNone) {
      if (n < cap) {
        starts[n] = start;
        ends[n] = end;
        kinds[n] = (st / 100) * 100;
      }
      n++;
    }
    start = end;
  }
  /* Detach the iterator from the caller's buffer: point it at a static empty
     text, so ICU never keeps a pointer into memory the caller may free. */
  static const UChar empty[1] = {0};
  e = U_ZERO_ERROR;
  ubrk_setText(bi, empty, 0, &e);
  *status = U_ZERO_ERROR;
  return n;
}

/* ---- Transliteration ---- */
hl_translit *hl_tr_open(const uint16_t *id, int32_t idLen, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  UTransliterator *t = utrans_openU((const UChar *)id, idLen, UTRANS_FORWARD, NULL, 0, NULL, &e);
  if (U_FAILURE(e)) { *status = e; return NULL; }
  *status = U_ZERO_ERROR;
  return (hl_translit *)t;
}

void hl_tr_close(hl_translit *t) {
  if (t) utrans_close((UTransliterator *)t);
}

int32_t hl_tr_source_ranges(const hl_translit *t, int32_t *ranges, int32_t cap, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  USet *set = uset_openEmpty();
  utrans_getSourceSet((const UTransliterator *)t, 1, set, &e);
  if (U_FAILURE(e)) { *status = e; uset_close(set); return 0; }
  int32_t n = 0;
  int32_t items = uset_getItemCount(set);
  for (int32_t i = 0; i < items; i++) {
    UChar32 a, b;
    UChar str[64];
    int32_t len = uset_getItem(set, i, &a, &b, str, 64, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR || e == U_STRING_NOT_TERMINATED_WARNING) e = U_ZERO_ERROR;
    if (U_FAILURE(e)) break;
    if (len > 0) { /* a string: its units may be modified */
      for (int32_t k = 0; k < len && k < 64; k++) {
        if (n < cap) { ranges[2 * n] = str[k]; ranges[2 * n + 1] = str[k]; }
        n++;
      }
      continue;
    }
    if (a > 0xFFFF) continue; /* supplementary code points: the caller checks them apart */
    if (b > 0xFFFF) b = 0xFFFF;
    if (n < cap) { ranges[2 * n] = a; ranges[2 * n + 1] = b; }
    n++;
  }
  uset_close(set);
  *status = e;
  return n;
}

void hl_tr_apply(const hl_translit *t, uint16_t *buf, int32_t *len, int32_t cap, int32_t *status) {
  UErrorCode e = U_ZERO_ERROR;
  int32_t limit = *len;
  utrans_transUChars((const UTransliterator *)t, (UChar *)buf, len, cap, 0, &limit, &e);
  *status = e;
}

/* ---- Dense products of the topic model's conditional ---- */
#include <immintrin.h>

/* Per cluster, the factors are multiplied in token order; vectors run across
   clusters only, and there is no fused multiply-add (the factor is a sum
   multiplied in), so every lane computes what the scalar loop computes. The
   accumulators stay in registers over all tokens: 16 clusters per pass (four
   independent chains of multiplications). */
#define HL_V4_STEP(v, off) \
  v = _mm256_mul_pd(v, _mm256_add_pd(_mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)(r + (off)))), a))
__attribute__((target("avx2")))
static void hl_dmm_products_v4(double *acc, const int32_t *const *rows, const double *adds, int32_t n, int32_t K) {
  int32_t k = 0;
  for (; k + 16 <= K; k += 16) {
    __m256d v0 = _mm256_loadu_pd(acc + k), v1 = _mm256_loadu_pd(acc + k + 4);
    __m256d v2 = _mm256_loadu_pd(acc + k + 8), v3 = _mm256_loadu_pd(acc + k + 12);
    for (int32_t t = 0; t < n; t++) {
      const int32_t *r = rows[t] + k;
      __m256d a = _mm256_set1_pd(adds[t]);
      HL_V4_STEP(v0, 0);
      HL_V4_STEP(v1, 4);
      HL_V4_STEP(v2, 8);
      HL_V4_STEP(v3, 12);
    }
    _mm256_storeu_pd(acc + k, v0);
    _mm256_storeu_pd(acc + k + 4, v1);
    _mm256_storeu_pd(acc + k + 8, v2);
    _mm256_storeu_pd(acc + k + 12, v3);
  }
  for (; k + 4 <= K; k += 4) {
    __m256d v0 = _mm256_loadu_pd(acc + k);
    for (int32_t t = 0; t < n; t++) {
      const int32_t *r = rows[t] + k;
      __m256d a = _mm256_set1_pd(adds[t]);
      HL_V4_STEP(v0, 0);
    }
    _mm256_storeu_pd(acc + k, v0);
  }
  for (; k < K; k++) {
    double v = acc[k];
    for (int32_t t = 0; t < n; t++) v *= (double)rows[t][k] + adds[t];
    acc[k] = v;
  }
}

/* Without AVX2: four tokens per pass over the clusters (the compiler
   vectorises the cluster loop with SSE2), each product still in token order. */
static void hl_dmm_products_v2(double *acc, const int32_t *const *rows, const double *adds, int32_t n, int32_t K) {
  int32_t t = 0;
  for (; t + 4 <= n; t += 4) {
    const int32_t *r0 = rows[t], *r1 = rows[t + 1], *r2 = rows[t + 2], *r3 = rows[t + 3];
    double a0 = adds[t], a1 = adds[t + 1], a2 = adds[t + 2], a3 = adds[t + 3];
    for (int32_t k = 0; k < K; k++) {
      double v = acc[k];
      v *= (double)r0[k] + a0;
      v *= (double)r1[k] + a1;
      v *= (double)r2[k] + a2;
      v *= (double)r3[k] + a3;
      acc[k] = v;
    }
  }
  for (; t < n; t++) {
    const int32_t *r0 = rows[t];
    double a0 = adds[t];
    for (int32_t k = 0; k < K; k++) acc[k] *= (double)r0[k] + a0;
  }
}

typedef void (*hl_dmm_fn)(double *, const int32_t *const *, const double *, int32_t, int32_t);

static hl_dmm_fn hl_dmm_pick(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? hl_dmm_products_v4 : hl_dmm_products_v2;
}

int32_t hl_dmm_products_avx2(void) { return hl_dmm_pick() == hl_dmm_products_v4; }

void hl_dmm_products(double *acc, const int32_t *const *rows, const double *adds, int32_t n, int32_t K) {
  static hl_dmm_fn fn = 0; /* a benign race: every thread stores the same pointer */
  hl_dmm_fn f = __atomic_load_n(&fn, __ATOMIC_RELAXED);
  if (!f) {
    f = hl_dmm_pick();
    __atomic_store_n(&fn, f, __ATOMIC_RELAXED);
  }
  f(acc, rows, adds, n, K);
}

/* Linear GSDMM weights: vectors run across clusters, each lane the scalar
   expression's division and multiplications in its order; the maximum of
   finite numbers does not depend on the order it is taken in. */
__attribute__((target("avx2")))
static double hl_dmm_weights_v4(double *out, const double *num, const double *div, const int32_t *m, double alpha,
                                int32_t K) {
  __m256d a = _mm256_set1_pd(alpha), top = _mm256_setzero_pd();
  int32_t k = 0;
  for (; k + 4 <= K; k += 4) {
    __m256d mk = _mm256_add_pd(_mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)(m + k))), a);
    __m256d e = _mm256_mul_pd(mk, _mm256_div_pd(_mm256_loadu_pd(num + k), _mm256_loadu_pd(div + k)));
    _mm256_storeu_pd(out + k, e);
    top = _mm256_max_pd(top, e);
  }
  double t[4];
  _mm256_storeu_pd(t, top);
  double best = t[0];
  for (int i = 1; i < 4; i++) best = t[i] > best ? t[i] : best;
  for (; k < K; k++) {
    double e = ((double)m[k] + alpha) * (num[k] / div[k]);
    out[k] = e;
    best = e > best ? e : best;
  }
  return best;
}

static double hl_dmm_weights_v2(double *out, const double *num, const double *div, const int32_t *m, double alpha,
                                int32_t K) {
  double best = 0;
  for (int32_t k = 0; k < K; k++) {
    double e = ((double)m[k] + alpha) * (num[k] / div[k]);
    out[k] = e;
    best = e > best ? e : best;
  }
  return best;
}

double hl_dmm_weights(double *out, const double *num, const double *div, const int32_t *m, double alpha,
                      int32_t K) {
  static int32_t avx2 = -1; /* a benign race: every thread stores the same value */
  int32_t v = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
  if (v < 0) {
    v = hl_dmm_products_avx2();
    __atomic_store_n(&avx2, v, __ATOMIC_RELAXED);
  }
  return v ? hl_dmm_weights_v4(out, num, div, m, alpha, K) : hl_dmm_weights_v2(out, num, div, m, alpha, K);
}
