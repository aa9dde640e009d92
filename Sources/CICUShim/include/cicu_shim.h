#ifndef CICU_SHIM_H
#define CICU_SHIM_H
/* ICU behind an ICU-free header: only <stdint.h> types cross this line,
   so Swift code that also imports Foundation never sees ICU's headers. */
#include <stdint.h>

/* The major version of the ICU library linked at build time. */
int32_t hl_icu_version_major(void);

/* ---- Charset conversion (ucnv): any ICU charset -> UTF-8, streaming ----
   A converter keeps partial multi-byte sequences and its pivot buffer between
   calls, so a file can be fed in chunks of any size. Invalid bytes become
   U+FFFD. Status values are ICU UErrorCode numbers (> 0 is a failure). */
typedef struct hl_conv hl_conv;
hl_conv *hl_conv_open(const char *charset, int32_t *status);
void hl_conv_close(hl_conv *c);
/* Converts from src (srcLen bytes) into dst (cap bytes). Sets *consumed to the
   number of source bytes used and returns the number of bytes written. When
   dst fills up before the source is used, call again with the rest. Pass
   flush = 1 with the last chunk (it may be empty) to emit pending state. */
int32_t hl_conv_to_utf8(hl_conv *c, const char *src, int32_t srcLen, int32_t *consumed,
                        char *dst, int32_t cap, int32_t flush, int32_t *status);
/* The converter's canonical name (e.g. "gb18030", "windows-936-2000"). */
const char *hl_conv_name(const hl_conv *c);
/* Counts byte sequences that are illegal in `charset` (stops at 1000).
   Returns -1 if the charset is unknown. A truncated sequence at the very end
   of the sample is not counted. */
int32_t hl_conv_count_illegal(const char *charset, const char *src, int32_t srcLen);

/* ---- Charset detection (ucsdet) ----
   Writes the best match's name (NUL-terminated, truncated to nameCap) and its
   confidence 0..100. Returns 1 on a match, 0 when ICU has no guess. */
int32_t hl_detect_charset(const char *src, int32_t srcLen, char *name, int32_t nameCap,
                          int32_t *confidence, int32_t *status);

/* ---- Word break (ubrk, UBRK_WORD) ----
   One iterator per instance, reused for every text (ubrk_open is expensive).
   Not thread-safe: one instance per thread. */
typedef struct hl_wordbreaker hl_wordbreaker;
hl_wordbreaker *hl_wb_open(const char *locale, int32_t *status);
void hl_wb_close(hl_wordbreaker *wb);
/* Segments UTF-16 `text` (len units). For each segment writes its UTF-16 start
   and end offsets and its kind: the rule status rounded down to a hundred
   (0 none = spaces/punctuation, 100 number, 200 letter, 300 kana, 400 ideo).
   Segments of kind 0 are reported only when includeNone != 0.
   Returns the number of segments; if larger than cap, only cap were written. */
int32_t hl_wb_tokens(hl_wordbreaker *wb, const uint16_t *text, int32_t len, int32_t includeNone,
                     int32_t *starts, int32_t *ends, int32_t *kinds, int32_t cap, int32_t *status);

/* ---- Transliteration (utrans) ---- */
typedef struct hl_translit hl_translit;
/* `id` is a UTF-16 transliterator ID such as "Traditional-Simplified". */
hl_translit *hl_tr_open(const uint16_t *id, int32_t idLen, int32_t *status);
void hl_tr_close(hl_translit *t);
/* Transliterates buf[0..*len) in place; cap is the buffer's capacity. On
   U_BUFFER_OVERFLOW_ERROR (15) *len holds the length needed; retry with a
   bigger buffer and the original text. */
void hl_tr_apply(const hl_translit *t, uint16_t *buf, int32_t *len, int32_t cap, int32_t *status);
/* The BMP code points the transliterator may modify, ignoring its filters
   (utrans_getSourceSet: a superset of what it changes), as inclusive ranges
   written to ranges[0..2*cap) as start, end pairs. Returns the number of
   ranges; if larger than cap, only cap were written. */
int32_t hl_tr_source_ranges(const hl_translit *t, int32_t *ranges, int32_t cap, int32_t *status);

/* ---- Dense products of the topic model's conditional (no ICU; here because
   this is the project's C target) ----
   For k in [0, K): acc[k] *= ((double)rows[t][k] + adds[t]) for t = 0, 1, ...,
   n - 1, each product taken factor by factor in that order, so the result is
   the same bit for bit as the plain loop. Runs 4 clusters per AVX2 vector when
   the CPU has AVX2 (checked once), else 2 per SSE2 vector. */
void hl_dmm_products(double *acc, const int32_t *const *rows, const double *adds, int32_t n, int32_t K);
/* 1 when hl_dmm_products uses the AVX2 path on this CPU. */
int32_t hl_dmm_products_avx2(void);

/* out[k] = ((double)m[k] + alpha) * (num[k] / div[k]) for k < K, each as the
   plain expression computes it (AVX2 when the CPU has it); returns the largest
   of them and 0. */
double hl_dmm_weights(double *out, const double *num, const double *div, const int32_t *m, double alpha,
                      int32_t K);

#endif
