#!/usr/bin/python3
"""Our OTLP/gRPC export received by a gRPC stack we did not write and read by a decoder we did not
write: a Python grpcio server (Debian's python3-grpcio 1.51) plays the collector, and the
OpenTelemetry JavaScript SDK's generated protobuf code decodes what arrived (otlp_decode_files.mjs,
with otlp_export_checks.mjs's checks, shared with the OTLP/HTTP otlp_decode_test).

The collector serves opentelemetry.proto.collector.metrics.v1.MetricsService/Export as raw bytes
(a generic handler without deserializer: no generated code of ours), refuses the first call with
UNAVAILABLE and answers later ones with an empty ExportMetricsServiceResponse. otlp_export_app
(failover.observable.otlp.protocol grpc) flushes one export and shuts down (a final export). The
checks: the call arrived with the configured header as metadata, the retry resent the same bytes,
and the decoded exports carry the resource, scope and every metric as expected.

Runs from the Bazel runfiles root (the sh_test runs it there). Paths: OTLP_EXPORT_APP (default:
tests/observability/otlp_export_app in the runfiles), FAILOVER_REPO (the tree holding
node_modules/; default: found by following this script's runfiles symlink back to the source
tree; tools/lib/install-packages runs `npm ci`).

Uses /usr/bin/python3 on purpose: Debian's python3-grpcio is installed for it.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest
from concurrent import futures

import grpc

SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService"
APP_TIMEOUT_S = 45  # under the sh_test's 60 s (size small)
NODE_TIMEOUT_S = 30
HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.environ.get("OTLP_EXPORT_APP", os.path.join(HERE, "otlp_export_app"))
REPO = os.environ.get(
    "FAILOVER_REPO",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))),
)
ROOT_JS = os.path.join(
    REPO, "node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js"
)

CONFIG = """failover:
  observable:
    instance:
      id: orders-1
    otlp:
      enabled: true
      protocol: grpc
      endpoint: http://127.0.0.1:{port}
      headers:
        - "Authorization=Bearer test-token"
      service-name: orders
      interval: 1h
      retry:
        initial-backoff: 50ms
"""


class Collector:
    """An OTLP/gRPC collector that refuses the first export with UNAVAILABLE."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []  # (request bytes, {metadata name: value})
        handler = grpc.method_handlers_generic_handler(
            SERVICE, {"Export": grpc.unary_unary_rpc_method_handler(self._export)}
        )
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self.server.add_generic_rpc_handlers((handler,))
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    def _export(self, request, context):
        with self.lock:
            self.calls.append((request, dict(context.invocation_metadata())))
            first = len(self.calls) == 1
        if first:
            context.abort(grpc.StatusCode.UNAVAILABLE, "collector warming up")
        return b""  # an empty ExportMetricsServiceResponse: everything accepted

    def stop(self):
        self.server.stop(grace=None).wait()


class OtlpGrpcDecodeTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(
            os.path.isfile(ROOT_JS), ROOT_JS + " is missing: run tools/lib/install-packages"
        )
        self.tmp = tempfile.mkdtemp(prefix="otlp-grpc-", dir=os.environ.get("TEST_TMPDIR"))
        self.collector = Collector()
        self.addCleanup(self.collector.stop)

    def run_app(self):
        config = os.path.join(self.tmp, "application.yml")
        with open(config, "w") as f:
            f.write(CONFIG.format(port=self.collector.port))
        # No FAILOVER_* variables of ours leak in as config overrides.
        env = {"PATH": "/usr/bin:/bin"}
        for name in ["TEST_TMPDIR", "ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"]:
            if name in os.environ:
                env[name] = os.environ[name]
        return subprocess.run(
            [APP, "--config", config],
            env=env,
            capture_output=True,
            text=True,
            timeout=APP_TIMEOUT_S,
        )

    def decode(self, bodies):
        files = []
        for i, body in enumerate(bodies):
            files.append(os.path.join(self.tmp, "export-%d.bin" % (i + 2)))
            with open(files[-1], "wb") as f:
                f.write(body)
        env = dict(os.environ, FAILOVER_REPO=REPO)
        return subprocess.run(
            ["/usr/bin/node", os.path.join(HERE, "otlp_decode_files.mjs"), *files],
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
        )

    def test_grpc_export_is_retried_and_decodes(self):
        run = self.run_app()
        self.assertEqual(run.returncode, 0, "otlp_export_app failed; stderr:\n" + run.stderr)
        stats = json.loads(run.stdout.strip())
        self.assertGreaterEqual(stats["exported"], 1, stats)
        self.assertGreaterEqual(stats["failed_attempts"], 1, stats)  # the UNAVAILABLE

        with self.collector.lock:
            calls = list(self.collector.calls)
        self.assertGreaterEqual(len(calls), 2, "expected the refused export and its retry")
        for i, (_, metadata) in enumerate(calls):
            self.assertEqual(metadata.get("authorization"), "Bearer test-token", "call %d" % i)
            self.assertTrue(
                metadata.get("user-agent", "").startswith("failover-toolkit-otlp/1 "),
                "call %d: user-agent %r" % (i, metadata.get("user-agent")),
            )
        self.assertEqual(calls[0][0], calls[1][0], "the retry's bytes differ from the refused ones")

        decoded = self.decode([body for body, _ in calls[1:]])
        self.assertEqual(
            decoded.returncode, 0, "decoder:\n" + decoded.stderr + "\nstdout:\n" + decoded.stdout
        )
        # The decoder's JSON: the first line is the accepted retry.
        first = json.loads(decoded.stdout.splitlines()[0])["request"]
        resource = {
            kv["key"]: kv["value"].get("stringValue")
            for kv in first["resourceMetrics"][0]["resource"]["attributes"]
        }
        self.assertEqual(resource.get("service.name"), "orders")
        self.assertEqual(resource.get("service.instance.id"), "orders-1")


if __name__ == "__main__":
    unittest.main(verbosity=2)
