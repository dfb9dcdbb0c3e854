/* Bilinear GridSample with zero padding and align_corners=0, bit-identical to ONNX Runtime's CPU
 * kernel (onnxruntime/core/providers/cpu/tensor/grid_sample.cc, its "fast path"). */
#ifndef STN4J_GRID_SAMPLE_H
#define STN4J_GRID_SAMPLE_H

#include <stdint.h>

/* x: N×C×H×W, grid: N×Ho×Wo×2 (x, y in [-1, 1]), y: N×C×Ho×Wo with points = Ho*Wo.
 * Returns 0, or -1 when scratch memory cannot be allocated. */
int stn4j_grid_sample(const float* x, const float* grid, float* y, int64_t n, int64_t c, int64_t h,
                      int64_t w, int64_t points);

#endif
