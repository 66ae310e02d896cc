"""C++ code generation for .proto files with the system protoc and grpc_cpp_plugin.

Bazel's native proto_library / cc_proto_library want a protobuf source repository, which cannot
be downloaded here, so a genrule runs Debian's `protoc` (protobuf-compiler) and
`grpc_cpp_plugin` (protobuf-compiler-grpc) instead, and the generated sources are compiled
against the system libraries (//third_party:protobuf, //third_party:grpc).

Example:
    cc_proto_library_system(
        name = "metrics_snapshot_cc_proto",
        srcs = ["metrics_snapshot.proto"],
        grpc = True,
    )
    # Messages: :metrics_snapshot_cc_proto, "proto/metrics_snapshot.pb.h"
    # Services: :metrics_snapshot_cc_proto_grpc, "proto/metrics_snapshot.grpc.pb.h"
"""

def cc_proto_library_system(name, srcs, proto_deps = [], grpc = False, visibility = None, **kwargs):
    """Generates and compiles C++ (and optionally gRPC) code for `srcs`.

    Args:
      name: the cc_library to create. `<name>_srcs` is a filegroup of the .proto files, for
        other protos that import them (pass it in their `proto_deps`).
      srcs: .proto files in this package, imported by workspace-relative path.
      proto_deps: `<other>_srcs` filegroups and `<other>` cc_library pairs of imported protos,
        given as the cc_library labels; their .proto files are made visible to protoc.
      grpc: also generate gRPC service code, as a separate cc_library `<name>_grpc`, so code
        that only uses the messages does not link gRPC.
      visibility: of the generated targets.
      **kwargs: passed to the cc_library (e.g. testonly).
    """
    outs = []
    for src in srcs:
        base = src[:-len(".proto")]
        outs += [base + ".pb.h", base + ".pb.cc"]
        if grpc:
            outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]

    native.filegroup(
        name = name + "_srcs",
        srcs = srcs + [d + "_srcs" for d in proto_deps],
        visibility = visibility,
    )

    grpc_flags = ""
    if grpc:
        grpc_flags = "--grpc_out=$(GENDIR) --plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) "

    native.genrule(
        name = name + "_gen",
        srcs = srcs + [name + "_srcs"],
        outs = outs,
        cmd = ("protoc --proto_path=. --proto_path=/usr/include --cpp_out=$(GENDIR) " + grpc_flags +
               " ".join(["$(location %s)" % s for s in srcs])),
        message = "protoc " + " ".join(srcs),
        visibility = ["//visibility:private"],
    )

    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".pb.cc") and not o.endswith(".grpc.pb.cc")],
        hdrs = [o for o in outs if o.endswith(".pb.h") and not o.endswith(".grpc.pb.h")],
        deps = proto_deps + ["//third_party:protobuf"],
        visibility = visibility,
        **kwargs
    )

    if grpc:
        native.cc_library(
            name = name + "_grpc",
            srcs = [o for o in outs if o.endswith(".grpc.pb.cc")],
            hdrs = [o for o in outs if o.endswith(".grpc.pb.h")],
            deps = [name, "//third_party:grpc"],
            visibility = visibility,
            **kwargs
        )
