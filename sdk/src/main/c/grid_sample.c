/* Why this exists: in the STN, ONNX Runtime's GridSample costs ~5-6 us of a ~48 us batch-1 call.
 * Its fast path computes a per-point plan (four corners, four weights, a mask) on one thread and
 * then gathers each channel plane with scalar loads and bounds checks. Here the plan is computed
 * four points at a time, the image is copied once into a channel-interleaved buffer with a zero
 * border, and each point reads its four corners as four 4-channel vectors: no bounds checks, no
 * per-channel gathers. 3-4 us faster per image (benchmarks/RESULTS.md).
 *
 * Identical numbers: every output is w11*p11 + w12*p12 + w21*p21 + w22*p22, summed left to right,
 * with ORT's coordinate and weight formulas, no fused multiply-add (-ffp-contract=off), and p = +0
 * for a corner outside the image, which is what the zero border holds. ORT returns +0 for a point
 * whose four corners are all outside; here such a point is clamped into the border, where it reads
 * four +0 corners with finite weights, which also sums to +0. NaN, infinite and huge coordinates go
 * there too; ORT casts them to int64 unchecked, so its result for them is undefined. */
#include "grid_sample.h"

#include <stdlib.h>
#include <string.h>

/* x86-64: SSE2 always (the baseline), the plan also with AVX2 where the CPU has it. Elsewhere, or
 * with -DSTN4J_PORTABLE, plain C. -DSTN4J_NO_AVX2 leaves out the AVX2 plan (the tests build all
 * three, as each must give the same bits). */
#if defined(__SSE2__) && !defined(STN4J_PORTABLE)
#include <emmintrin.h>
#define STN4J_SSE2 1
#if !defined(STN4J_NO_AVX2) && defined(__GNUC__)
#include <immintrin.h>
#define STN4J_AVX2 1
#endif
#endif

enum { LANES = 4, BORDER = 2 };

typedef struct {
  int32_t* x1;
  int32_t* y1;
  float* weights; /* w11 w12 w21 w22 of each point */
} Plan;

/* A point is inside when its top-left corner is in [-1, size-1]: x in [-1, size). Clamping to
 * [-1.5, size + 0.5] keeps inside points as they are and puts every other point (NaN too: the
 * comparisons are false) where both its corners fall in the two-pixel border. */
static inline float clamp_to_border(float v, float size) {
  v = v > -1.5f ? v : -1.5f;
  return v < size + 0.5f ? v : size + 0.5f;
}

static void plan_points(const float* grid, int64_t k, int64_t points, int32_t h, int32_t w,
                        Plan plan) {
  const float fw = (float)w, fh = (float)h;
  for (; k < points; k++) {
    /* ORT: ((n + 1) * size - 1) / 2 */
    const float xs = clamp_to_border(((grid[2 * k] + 1) * fw - 1) / 2.f, fw);
    const float ys = clamp_to_border(((grid[2 * k + 1] + 1) * fh - 1) / 2.f, fh);
    int32_t x1 = (int32_t)xs, y1 = (int32_t)ys;
    x1 -= (float)x1 > xs; /* floor */
    y1 -= (float)y1 > ys;
    const float dx2 = (float)(x1 + 1) - xs, dx1 = xs - (float)x1;
    const float dy2 = (float)(y1 + 1) - ys, dy1 = ys - (float)y1;
    plan.x1[k] = x1;
    plan.y1[k] = y1;
    plan.weights[4 * k] = dy2 * dx2;
    plan.weights[4 * k + 1] = dy2 * dx1;
    plan.weights[4 * k + 2] = dy1 * dx2;
    plan.weights[4 * k + 3] = dy1 * dx1;
  }
}

#ifdef STN4J_AVX2
/* Eight points at a time; the same operations as plan_points (floor is exact here). Returns how
 * many points it planned. */
__attribute__((target("avx2"))) static int64_t plan_avx2(const float* grid, int64_t points,
                                                          int32_t h, int32_t w, Plan plan) {
  const __m256 one = _mm256_set1_ps(1.f), half = _mm256_set1_ps(0.5f);
  const __m256 fw = _mm256_set1_ps((float)w), fh = _mm256_set1_ps((float)h);
  const __m256 low = _mm256_set1_ps(-1.5f);
  const __m256 high_x = _mm256_set1_ps((float)w + 0.5f), high_y = _mm256_set1_ps((float)h + 0.5f);
  const __m256i xs_then_ys = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  int64_t k = 0;
  for (; k + 8 <= points; k += 8) {
    const __m256 g0 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(grid + 2 * k), xs_then_ys);
    const __m256 g1 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(grid + 2 * k + 8), xs_then_ys);
    const __m256 nx = _mm256_permute2f128_ps(g0, g1, 0x20), ny = _mm256_permute2f128_ps(g0, g1, 0x31);
    __m256 xs = _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(_mm256_add_ps(nx, one), fw), one), half);
    __m256 ys = _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(_mm256_add_ps(ny, one), fh), one), half);
    xs = _mm256_min_ps(_mm256_max_ps(xs, low), high_x); /* max(NaN, low) is low */
    ys = _mm256_min_ps(_mm256_max_ps(ys, low), high_y);
    const __m256 fx1 = _mm256_floor_ps(xs), fy1 = _mm256_floor_ps(ys);
    const __m256 dx2 = _mm256_sub_ps(_mm256_add_ps(fx1, one), xs), dx1 = _mm256_sub_ps(xs, fx1);
    const __m256 dy2 = _mm256_sub_ps(_mm256_add_ps(fy1, one), ys), dy1 = _mm256_sub_ps(ys, fy1);
    const __m256 w11 = _mm256_mul_ps(dy2, dx2), w12 = _mm256_mul_ps(dy2, dx1);
    const __m256 w21 = _mm256_mul_ps(dy1, dx2), w22 = _mm256_mul_ps(dy1, dx1);
    /* transpose to one group of four weights per point: points 0 4 | 1 5 | 2 6 | 3 7 */
    const __m256 t0 = _mm256_unpacklo_ps(w11, w12), t1 = _mm256_unpackhi_ps(w11, w12);
    const __m256 t2 = _mm256_unpacklo_ps(w21, w22), t3 = _mm256_unpackhi_ps(w21, w22);
    const __m256 p04 = _mm256_shuffle_ps(t0, t2, 0x44), p15 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 p26 = _mm256_shuffle_ps(t1, t3, 0x44), p37 = _mm256_shuffle_ps(t1, t3, 0xEE);
    _mm256_storeu_ps(plan.weights + 4 * k, _mm256_permute2f128_ps(p04, p15, 0x20));
    _mm256_storeu_ps(plan.weights + 4 * k + 8, _mm256_permute2f128_ps(p26, p37, 0x20));
    _mm256_storeu_ps(plan.weights + 4 * k + 16, _mm256_permute2f128_ps(p04, p15, 0x31));
    _mm256_storeu_ps(plan.weights + 4 * k + 24, _mm256_permute2f128_ps(p26, p37, 0x31));
    _mm256_storeu_si256((__m256i*)(plan.x1 + k), _mm256_cvttps_epi32(fx1));
    _mm256_storeu_si256((__m256i*)(plan.y1 + k), _mm256_cvttps_epi32(fy1));
  }
  return k;
}
#endif

static void plan_all(const float* grid, int64_t points, int32_t h, int32_t w, Plan plan) {
  int64_t k = 0;
#ifdef STN4J_AVX2
  if (__builtin_cpu_supports("avx2")) {
    k = plan_avx2(grid, points, h, w, plan);
  }
#endif
#ifdef STN4J_SSE2
  const __m128 one = _mm_set1_ps(1.f), half = _mm_set1_ps(0.5f); /* x / 2 == x * 0.5 exactly */
  const __m128 fw = _mm_set1_ps((float)w), fh = _mm_set1_ps((float)h);
  const __m128 low = _mm_set1_ps(-1.5f);
  const __m128 high_x = _mm_set1_ps((float)w + 0.5f), high_y = _mm_set1_ps((float)h + 0.5f);
  const __m128i one_i = _mm_set1_epi32(1);
  for (; k + 4 <= points; k += 4) {
    const __m128 g0 = _mm_loadu_ps(grid + 2 * k), g1 = _mm_loadu_ps(grid + 2 * k + 4);
    const __m128 nx = _mm_shuffle_ps(g0, g1, _MM_SHUFFLE(2, 0, 2, 0));
    const __m128 ny = _mm_shuffle_ps(g0, g1, _MM_SHUFFLE(3, 1, 3, 1));
    __m128 xs = _mm_mul_ps(_mm_sub_ps(_mm_mul_ps(_mm_add_ps(nx, one), fw), one), half);
    __m128 ys = _mm_mul_ps(_mm_sub_ps(_mm_mul_ps(_mm_add_ps(ny, one), fh), one), half);
    xs = _mm_min_ps(_mm_max_ps(xs, low), high_x); /* max(NaN, low) is low */
    ys = _mm_min_ps(_mm_max_ps(ys, low), high_y);
    __m128i x1 = _mm_cvttps_epi32(xs), y1 = _mm_cvttps_epi32(ys);
    x1 = _mm_add_epi32(x1, _mm_castps_si128(_mm_cmpgt_ps(_mm_cvtepi32_ps(x1), xs))); /* floor */
    y1 = _mm_add_epi32(y1, _mm_castps_si128(_mm_cmpgt_ps(_mm_cvtepi32_ps(y1), ys)));
    const __m128 dx2 = _mm_sub_ps(_mm_cvtepi32_ps(_mm_add_epi32(x1, one_i)), xs);
    const __m128 dx1 = _mm_sub_ps(xs, _mm_cvtepi32_ps(x1));
    const __m128 dy2 = _mm_sub_ps(_mm_cvtepi32_ps(_mm_add_epi32(y1, one_i)), ys);
    const __m128 dy1 = _mm_sub_ps(ys, _mm_cvtepi32_ps(y1));
    __m128 w11 = _mm_mul_ps(dy2, dx2), w12 = _mm_mul_ps(dy2, dx1);
    __m128 w21 = _mm_mul_ps(dy1, dx2), w22 = _mm_mul_ps(dy1, dx1);
    _MM_TRANSPOSE4_PS(w11, w12, w21, w22); /* now one vector of four weights per point */
    _mm_storeu_si128((__m128i*)(plan.x1 + k), x1);
    _mm_storeu_si128((__m128i*)(plan.y1 + k), y1);
    _mm_storeu_ps(plan.weights + 4 * k, w11);
    _mm_storeu_ps(plan.weights + 4 * k + 4, w12);
    _mm_storeu_ps(plan.weights + 4 * k + 8, w21);
    _mm_storeu_ps(plan.weights + 4 * k + 12, w22);
  }
#endif
  plan_points(grid, k, points, h, w, plan);
}

/* Channels c0..c0+3 of one image (missing ones repeat a real one; they are never written out),
 * interleaved, inside a zero border. */
static void pack(const float* image, int64_t c, int64_t c0, int32_t h, int32_t w, float* bordered) {
  const int32_t wp = w + 2 * BORDER;
  memset(bordered, 0, sizeof(float) * LANES * (size_t)wp * (size_t)(h + 2 * BORDER));
  const float* src[LANES];
  for (int64_t l = 0; l < LANES; l++) src[l] = image + (c0 + (c0 + l < c ? l : 0)) * h * w;
  for (int32_t y = 0; y < h; y++) {
    float* row = bordered + ((size_t)(y + BORDER) * wp + BORDER) * LANES;
    int32_t x = 0;
#ifdef STN4J_SSE2
    for (; x + 4 <= w; x += 4) {
      __m128 r0 = _mm_loadu_ps(src[0] + y * w + x), r1 = _mm_loadu_ps(src[1] + y * w + x);
      __m128 r2 = _mm_loadu_ps(src[2] + y * w + x), r3 = _mm_loadu_ps(src[3] + y * w + x);
      _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
      _mm_storeu_ps(row + x * LANES, r0);
      _mm_storeu_ps(row + x * LANES + 4, r1);
      _mm_storeu_ps(row + x * LANES + 8, r2);
      _mm_storeu_ps(row + x * LANES + 12, r3);
    }
#endif
    for (; x < w; x++) {
      for (int l = 0; l < LANES; l++) row[x * LANES + l] = src[l][y * w + x];
    }
  }
}

/* The four channels of one output point. */
static inline void sample_point(const float* bordered, int32_t wp, Plan plan, int64_t k,
                                float out[LANES]) {
  const float* p11 = bordered + ((plan.y1[k] + BORDER) * wp + plan.x1[k] + BORDER) * LANES;
  const float* p21 = p11 + wp * LANES;
  const float* wt = plan.weights + 4 * k;
#ifdef STN4J_SSE2
  const __m128 q = _mm_loadu_ps(wt);
  const __m128 a = _mm_mul_ps(_mm_shuffle_ps(q, q, 0x00), _mm_loadu_ps(p11));
  const __m128 b = _mm_mul_ps(_mm_shuffle_ps(q, q, 0x55), _mm_loadu_ps(p11 + LANES));
  const __m128 c = _mm_mul_ps(_mm_shuffle_ps(q, q, 0xAA), _mm_loadu_ps(p21));
  const __m128 d = _mm_mul_ps(_mm_shuffle_ps(q, q, 0xFF), _mm_loadu_ps(p21 + LANES));
  _mm_storeu_ps(out, _mm_add_ps(_mm_add_ps(_mm_add_ps(a, b), c), d));
#else
  for (int l = 0; l < LANES; l++) {
    out[l] = wt[0] * p11[l] + wt[1] * p11[LANES + l] + wt[2] * p21[l] + wt[3] * p21[LANES + l];
  }
#endif
}

/* Every point of `lanes` channels, written to their planes (planes + l * points). */
static void sample_planes(const float* bordered, int32_t w, Plan plan, int64_t points,
                          int64_t lanes, float* planes) {
  const int32_t wp = w + 2 * BORDER;
  float r[4][LANES];
  int64_t k = 0;
  for (; k + 4 <= points; k += 4) {
    for (int j = 0; j < 4; j++) sample_point(bordered, wp, plan, k + j, r[j]);
#ifdef STN4J_SSE2
    __m128 v0 = _mm_loadu_ps(r[0]), v1 = _mm_loadu_ps(r[1]);
    __m128 v2 = _mm_loadu_ps(r[2]), v3 = _mm_loadu_ps(r[3]);
    _MM_TRANSPOSE4_PS(v0, v1, v2, v3);
    const __m128 channel[LANES] = {v0, v1, v2, v3};
    for (int64_t l = 0; l < lanes; l++) _mm_storeu_ps(planes + l * points + k, channel[l]);
#else
    for (int64_t l = 0; l < lanes; l++) {
      for (int j = 0; j < 4; j++) planes[l * points + k + j] = r[j][l];
    }
#endif
  }
  for (; k < points; k++) {
    sample_point(bordered, wp, plan, k, r[0]);
    for (int64_t l = 0; l < lanes; l++) planes[l * points + k] = r[0][l];
  }
}

int stn4j_grid_sample(const float* x, const float* grid, float* y, int64_t n, int64_t c, int64_t h,
                      int64_t w, int64_t points) {
  const size_t bordered_floats = (size_t)LANES * (size_t)(w + 2 * BORDER) * (size_t)(h + 2 * BORDER);
  float* scratch = malloc(sizeof(float) * (bordered_floats + (size_t)LANES * (size_t)points) +
                          sizeof(int32_t) * 2 * (size_t)points);
  if (scratch == NULL) {
    return -1;
  }
  float* bordered = scratch;
  Plan plan;
  plan.weights = bordered + bordered_floats;
  plan.x1 = (int32_t*)(plan.weights + LANES * points);
  plan.y1 = plan.x1 + points;
  for (int64_t i = 0; i < n; i++) {
    plan_all(grid + i * points * 2, points, (int32_t)h, (int32_t)w, plan);
    for (int64_t c0 = 0; c0 < c; c0 += LANES) {
      pack(x + i * c * h * w, c, c0, (int32_t)h, (int32_t)w, bordered);
      sample_planes(bordered, (int32_t)w, plan, points, c - c0 < LANES ? c - c0 : LANES,
                    y + (i * c + c0) * points);
    }
  }
  free(scratch);
  return 0;
}
