/* The few pieces of ONNX Runtime's C ABI (onnxruntime_c_api.h) that a custom-op library needs.
 *
 * Why not the header itself: it is not published on Maven Central or in Debian, the only sources
 * this build may use. The ABI is stable by design: OrtApi is a table of function pointers that
 * only grows at its end, and OrtCustomOp says through `version` which of its fields the runtime may
 * read. The slots below are all in the version-1 part of the table; the custom op declares version
 * 16 (ONNX Runtime >= 1.16), the first with status-returning CreateKernelV2/KernelComputeV2. */
#ifndef STN4J_ORT_ABI_H
#define STN4J_ORT_ABI_H

#include <stddef.h>
#include <stdint.h>

typedef struct OrtApi OrtApi;
typedef struct OrtStatus OrtStatus;
typedef struct OrtValue OrtValue;
typedef struct OrtKernelInfo OrtKernelInfo;
typedef struct OrtKernelContext OrtKernelContext;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtCustomOpDomain OrtCustomOpDomain;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;

typedef struct OrtApiBase {
  const OrtApi* (*GetApi)(uint32_t version);
  const char* (*GetVersionString)(void);
} OrtApiBase;

enum { ORT_ELEMENT_FLOAT = 1 };                   /* ONNXTensorElementDataType */
enum { ORT_CODE_FAIL = 1, ORT_CODE_INVALID_ARGUMENT = 2 }; /* OrtErrorCode */
enum { ORT_IO_REQUIRED = 0 };                     /* OrtCustomOpInputOutputCharacteristic */
enum { ORT_MEM_DEFAULT = 0 };                     /* OrtMemType */

typedef struct OrtCustomOp OrtCustomOp;
struct OrtCustomOp {
  uint32_t version;
  void* (*CreateKernel)(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info);
  const char* (*GetName)(const OrtCustomOp* op);
  const char* (*GetExecutionProviderType)(const OrtCustomOp* op); /* NULL: the CPU provider */
  int (*GetInputType)(const OrtCustomOp* op, size_t index);
  size_t (*GetInputTypeCount)(const OrtCustomOp* op);
  int (*GetOutputType)(const OrtCustomOp* op, size_t index);
  size_t (*GetOutputTypeCount)(const OrtCustomOp* op);
  void (*KernelCompute)(void* kernel, OrtKernelContext* context);
  void (*KernelDestroy)(void* kernel);
  int (*GetInputCharacteristic)(const OrtCustomOp* op, size_t index);  /* version >= 8 */
  int (*GetOutputCharacteristic)(const OrtCustomOp* op, size_t index); /* version >= 8 */
  int (*GetInputMemoryType)(const OrtCustomOp* op, size_t index);      /* version >= 13 */
  int (*GetVariadicInputMinArity)(const OrtCustomOp* op);              /* version >= 14 */
  int (*GetVariadicInputHomogeneity)(const OrtCustomOp* op);
  int (*GetVariadicOutputMinArity)(const OrtCustomOp* op);
  int (*GetVariadicOutputHomogeneity)(const OrtCustomOp* op);
  OrtStatus* (*CreateKernelV2)(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info,
                               void** kernel); /* version >= 16, preferred over CreateKernel */
  OrtStatus* (*KernelComputeV2)(void* kernel, OrtKernelContext* context);
};

/* OrtApi slots (zero-based positions in the table) and their signatures. */
#define ORT_SLOT_CreateStatus 0
typedef OrtStatus* (*OrtCreateStatusFn)(int code, const char* message);
#define ORT_SLOT_CreateCustomOpDomain 26
typedef OrtStatus* (*OrtCreateCustomOpDomainFn)(const char* domain, OrtCustomOpDomain** out);
#define ORT_SLOT_CustomOpDomain_Add 27
typedef OrtStatus* (*OrtCustomOpDomainAddFn)(OrtCustomOpDomain* domain, const OrtCustomOp* op);
#define ORT_SLOT_AddCustomOpDomain 28
typedef OrtStatus* (*OrtAddCustomOpDomainFn)(OrtSessionOptions* options, OrtCustomOpDomain* domain);
#define ORT_SLOT_GetTensorMutableData 51
typedef OrtStatus* (*OrtGetTensorMutableDataFn)(OrtValue* value, void** out);
#define ORT_SLOT_GetDimensionsCount 61
typedef OrtStatus* (*OrtGetDimensionsCountFn)(const OrtTensorTypeAndShapeInfo* info, size_t* out);
#define ORT_SLOT_GetDimensions 62
typedef OrtStatus* (*OrtGetDimensionsFn)(const OrtTensorTypeAndShapeInfo* info, int64_t* dims,
                                         size_t length);
#define ORT_SLOT_GetTensorTypeAndShape 65
typedef OrtStatus* (*OrtGetTensorTypeAndShapeFn)(const OrtValue* value,
                                                 OrtTensorTypeAndShapeInfo** out);
#define ORT_SLOT_KernelInfoGetAttribute_int64 86
typedef OrtStatus* (*OrtKernelInfoGetAttributeInt64Fn)(const OrtKernelInfo* info, const char* name,
                                                       int64_t* out);
#define ORT_SLOT_KernelInfoGetAttribute_string 87
typedef OrtStatus* (*OrtKernelInfoGetAttributeStringFn)(const OrtKernelInfo* info, const char* name,
                                                        char* out, size_t* size);
#define ORT_SLOT_KernelContext_GetInput 90
typedef OrtStatus* (*OrtKernelContextGetInputFn)(const OrtKernelContext* context, size_t index,
                                                 const OrtValue** out);
#define ORT_SLOT_KernelContext_GetOutput 91
typedef OrtStatus* (*OrtKernelContextGetOutputFn)(OrtKernelContext* context, size_t index,
                                                  const int64_t* dims, size_t dim_count,
                                                  OrtValue** out);
#define ORT_SLOT_ReleaseStatus 93
typedef void (*OrtReleaseStatusFn)(OrtStatus* status);
#define ORT_SLOT_ReleaseTensorTypeAndShapeInfo 99
typedef void (*OrtReleaseTensorTypeAndShapeInfoFn)(OrtTensorTypeAndShapeInfo* info);

/* A function of `api`, e.g. ORT_CALL(api, GetDimensions, OrtGetDimensionsFn)(info, dims, 4). */
#define ORT_CALL(api, name, type) ((type)(((void* const*)(api))[ORT_SLOT_##name]))

#endif
