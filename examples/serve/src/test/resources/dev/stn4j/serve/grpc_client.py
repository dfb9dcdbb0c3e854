"""An independent client of stn serve's gRPC: Python's grpcio, with stubs that grpc_tools.protoc
generated from the server's own .proto. Driven by PythonGrpcClientTest.

Usage: grpc_client.py PORT IMAGES N SIZE OUT
  IMAGES: N images of 3xSIZExSIZE float32, little-endian, row-major.
  Writes to OUT the probabilities of a raw_input_contents request, then those of a typed
  (fp32_contents) request, as float32 little-endian; prints one JSON line of what else it saw.
"""
import json
import sys
from array import array

import grpc

import grpc_predict_v2_pb2 as pb
import grpc_predict_v2_pb2_grpc as rpc


def floats(raw):
    a = array("f")
    a.frombytes(raw)
    if sys.byteorder == "big":
        a.byteswap()
    return a


def image_input(n, size):
    return pb.ModelInferRequest.InferInputTensor(
        name="image", datatype="FP32", shape=[n, 3, size, size])


def status(call):
    try:
        call()
    except grpc.RpcError as e:
        return "%s: %s" % (e.code().name, e.details())
    return "OK"


def main():
    port, images_path, n, size, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    with open(images_path, "rb") as f:
        raw = f.read()
    seen = {}
    with grpc.insecure_channel("127.0.0.1:" + port) as channel:
        stub = rpc.GRPCInferenceServiceStub(channel)
        seen["live"] = stub.ServerLive(pb.ServerLiveRequest(), timeout=10).live
        seen["ready"] = stub.ModelReady(pb.ModelReadyRequest(name="stn"), timeout=10).ready
        meta = stub.ModelMetadata(pb.ModelMetadataRequest(name="stn"), timeout=10)
        seen["metadata"] = {t.name: list(t.shape) for t in list(meta.inputs) + list(meta.outputs)}

        request = pb.ModelInferRequest(model_name="stn", inputs=[image_input(n, size)])
        request.raw_input_contents.append(raw)
        request.outputs.add(name="probabilities")
        by_raw = stub.ModelInfer(request, timeout=60)
        seen["raw_outputs"] = [o.name for o in by_raw.outputs]

        typed = pb.ModelInferRequest(model_name="stn", inputs=[image_input(n, size)])
        typed.inputs[0].contents.fp32_contents.extend(floats(raw))
        by_typed = stub.ModelInfer(typed, timeout=60)
        seen["typed_outputs"] = [o.name for o in by_typed.outputs]

        wrong = pb.ModelInferRequest(model_name="stn", inputs=[image_input(n, size + 1)])
        wrong.raw_input_contents.append(raw)
        seen["wrong_shape"] = status(lambda: stub.ModelInfer(wrong, timeout=10))
        other = pb.ModelInferRequest(model_name="resnet", inputs=[image_input(n, size)])
        other.raw_input_contents.append(raw)
        seen["unknown_model"] = status(lambda: stub.ModelInfer(other, timeout=10))

    with open(out_path, "wb") as f:
        f.write(by_raw.raw_output_contents[0])
        index = [o.name for o in by_typed.outputs].index("probabilities")
        f.write(by_typed.raw_output_contents[index])
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
