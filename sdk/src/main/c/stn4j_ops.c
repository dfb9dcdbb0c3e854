/* An ONNX Runtime custom-op library that registers a faster CPU kernel for the standard ONNX
 * GridSample (domain "", the op the STN graph uses), with results identical to ORT's own.
 *
 * Registering a kernel under an ONNX op's own domain and name makes ORT prefer it for that op on
 * the CPU provider; the model file stays standard ONNX. The kernel takes only what it implements
 * (bilinear, zeros, align_corners=0, 4-D float); any other GridSample node fails session creation
 * with a message saying so, and the SDK then opens the session without this library. */
#include <stdio.h>
#include <string.h>

#include "grid_sample.h"
#include "ort_abi.h"

static OrtStatus* error(const OrtApi* api, int code, const char* message) {
  return ORT_CALL(api, CreateStatus, OrtCreateStatusFn)(code, message);
}

/* True when `status` is success; a failure's status is released (the caller reports its own). */
static int succeeded(const OrtApi* api, OrtStatus* status) {
  if (status == NULL) {
    return 1;
  }
  ORT_CALL(api, ReleaseStatus, OrtReleaseStatusFn)(status);
  return 0;
}

/* Attribute `name` as a string, or `fallback` when the node does not set it. */
static void string_attribute(const OrtApi* api, const OrtKernelInfo* info, const char* name,
                             const char* fallback, char* out, size_t capacity) {
  size_t size = capacity;
  OrtStatus* status = ORT_CALL(api, KernelInfoGetAttribute_string, OrtKernelInfoGetAttributeStringFn)(
      info, name, out, &size);
  if (!succeeded(api, status)) {
    /* absent, or longer than any value this kernel accepts */
    snprintf(out, capacity, "%s", size > capacity ? "(unsupported)" : fallback);
  }
}

static OrtStatus* create_kernel(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info,
                                void** kernel) {
  (void)op;
  char mode[32], padding[32];
  string_attribute(api, info, "mode", "bilinear", mode, sizeof mode);
  string_attribute(api, info, "padding_mode", "zeros", padding, sizeof padding);
  int64_t align_corners = 0;
  OrtStatus* status = ORT_CALL(api, KernelInfoGetAttribute_int64, OrtKernelInfoGetAttributeInt64Fn)(
      info, "align_corners", &align_corners);
  if (!succeeded(api, status)) {
    align_corners = 0; /* absent: the default */
  }
  const int bilinear = strcmp(mode, "bilinear") == 0 || strcmp(mode, "linear") == 0;
  if (!bilinear || strcmp(padding, "zeros") != 0 || align_corners != 0) {
    char message[256];
    snprintf(message, sizeof message,
             "stn4j GridSample kernel: implements mode=bilinear, padding_mode=zeros, "
             "align_corners=0; this node has mode=%s, padding_mode=%s, align_corners=%lld",
             mode, padding, (long long)align_corners);
    return error(api, ORT_CODE_INVALID_ARGUMENT, message);
  }
  *kernel = (void*)api; /* stateless: the kernel only needs the API table */
  return NULL;
}

/* Shape of `value` into dims (up to 8); returns the rank, or -1. */
static int64_t shape(const OrtApi* api, const OrtValue* value, int64_t dims[8]) {
  OrtTensorTypeAndShapeInfo* info;
  if (!succeeded(api, ORT_CALL(api, GetTensorTypeAndShape, OrtGetTensorTypeAndShapeFn)(value, &info))) {
    return -1;
  }
  size_t rank = 0;
  int64_t result = -1;
  if (succeeded(api, ORT_CALL(api, GetDimensionsCount, OrtGetDimensionsCountFn)(info, &rank)) &&
      rank <= 8 &&
      succeeded(api, ORT_CALL(api, GetDimensions, OrtGetDimensionsFn)(info, dims, rank))) {
    result = (int64_t)rank;
  }
  ORT_CALL(api, ReleaseTensorTypeAndShapeInfo, OrtReleaseTensorTypeAndShapeInfoFn)(info);
  return result;
}

static OrtStatus* compute(void* kernel, OrtKernelContext* context) {
  const OrtApi* api = (const OrtApi*)kernel;
  const OrtValue *image, *grid;
  OrtStatus* status = ORT_CALL(api, KernelContext_GetInput, OrtKernelContextGetInputFn)(context, 0, &image);
  if (status == NULL) {
    status = ORT_CALL(api, KernelContext_GetInput, OrtKernelContextGetInputFn)(context, 1, &grid);
  }
  if (status != NULL) {
    return status;
  }
  int64_t x[8], g[8];
  if (shape(api, image, x) != 4 || shape(api, grid, g) != 4 || g[3] != 2 || g[0] != x[0]) {
    return error(api, ORT_CODE_INVALID_ARGUMENT,
                 "stn4j GridSample kernel: needs X of N×C×H×W and grid of N×Ho×Wo×2");
  }
  /* Corner offsets in the bordered copy are 32-bit. */
  if (x[2] < 1 || x[3] < 1 || (x[2] + 4) * (x[3] + 4) * 4 > INT32_MAX) {
    return error(api, ORT_CODE_INVALID_ARGUMENT, "stn4j GridSample kernel: image too large");
  }
  const int64_t out_dims[4] = {x[0], x[1], g[1], g[2]};
  OrtValue* output;
  status = ORT_CALL(api, KernelContext_GetOutput, OrtKernelContextGetOutputFn)(context, 0, out_dims, 4,
                                                                              &output);
  if (status != NULL) {
    return status;
  }
  void *in, *coords, *out;
  if ((status = ORT_CALL(api, GetTensorMutableData, OrtGetTensorMutableDataFn)((OrtValue*)image, &in)) ||
      (status = ORT_CALL(api, GetTensorMutableData, OrtGetTensorMutableDataFn)((OrtValue*)grid, &coords)) ||
      (status = ORT_CALL(api, GetTensorMutableData, OrtGetTensorMutableDataFn)(output, &out))) {
    return status;
  }
  if (stn4j_grid_sample(in, coords, out, x[0], x[1], x[2], x[3], g[1] * g[2]) != 0) {
    return error(api, ORT_CODE_FAIL, "stn4j GridSample kernel: out of memory");
  }
  return NULL;
}

static const char* op_name(const OrtCustomOp* op) {
  (void)op;
  return "GridSample";
}
static const char* cpu_provider(const OrtCustomOp* op) {
  (void)op;
  return NULL;
}
static int float_type(const OrtCustomOp* op, size_t index) {
  (void)op;
  (void)index;
  return ORT_ELEMENT_FLOAT;
}
static size_t two(const OrtCustomOp* op) {
  (void)op;
  return 2;
}
static size_t one(const OrtCustomOp* op) {
  (void)op;
  return 1;
}
static int required(const OrtCustomOp* op, size_t index) {
  (void)op;
  (void)index;
  return ORT_IO_REQUIRED;
}
static int default_memory(const OrtCustomOp* op, size_t index) {
  (void)op;
  (void)index;
  return ORT_MEM_DEFAULT;
}
static int no_arity(const OrtCustomOp* op) {
  (void)op;
  return 0;
}
static void destroy(void* kernel) { (void)kernel; }

static const OrtCustomOp grid_sample_op = {
    .version = 16,
    .GetName = op_name,
    .GetExecutionProviderType = cpu_provider,
    .GetInputType = float_type,
    .GetInputTypeCount = two,
    .GetOutputType = float_type,
    .GetOutputTypeCount = one,
    .KernelDestroy = destroy,
    .GetInputCharacteristic = required,
    .GetOutputCharacteristic = required,
    .GetInputMemoryType = default_memory,
    .GetVariadicInputMinArity = no_arity,
    .GetVariadicInputHomogeneity = no_arity,
    .GetVariadicOutputMinArity = no_arity,
    .GetVariadicOutputHomogeneity = no_arity,
    .CreateKernelV2 = create_kernel,
    .KernelComputeV2 = compute,
};

/* Called by ONNX Runtime's SessionOptions.registerCustomOpLibrary. */
__attribute__((visibility("default"))) OrtStatus* RegisterCustomOps(OrtSessionOptions* options,
                                                                   const OrtApiBase* base) {
  const OrtApi* api = base->GetApi(16);
  if (api == NULL) {
    return error(base->GetApi(1), ORT_CODE_FAIL, "stn4j kernels need ONNX Runtime 1.16 or later");
  }
  OrtCustomOpDomain* domain;
  OrtStatus* status = ORT_CALL(api, CreateCustomOpDomain, OrtCreateCustomOpDomainFn)("", &domain);
  if (status == NULL) {
    status = ORT_CALL(api, CustomOpDomain_Add, OrtCustomOpDomainAddFn)(domain, &grid_sample_op);
  }
  if (status == NULL) {
    status = ORT_CALL(api, AddCustomOpDomain, OrtAddCustomOpDomainFn)(options, domain);
  }
  return status;
}
