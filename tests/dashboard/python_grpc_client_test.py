#!/usr/bin/python3
"""failoverd's gRPC services through an independent client: Python grpcio (Debian's 1.51).

Stubs are generated at test time with the system protoc and grpc_python_plugin from proto/
(ClusterIngest, FailoverData, FailoverPayloads) and dashboard/grpc/testing/health.proto (the
standard grpc.health.v1 protocol: Debian ships no grpc_health module), with
tests/testing/grpc_python_harness.py. Each test starts its own
grpc_test_server (DashboardGrpcServer as a process, seeded as its header comment says) and reads
or changes its state through its stdin. Runs from the Bazel runfiles root (the sh_test runs it
there); by hand, from the workspace root after `bazel build //tests/dashboard:grpc_test_server`,
with DASHBOARD_GRPC_TEST_SERVER=bazel-bin/tests/dashboard/grpc_test_server.

Uses /usr/bin/python3 on purpose: Debian's python3-grpcio and python3-protobuf are installed for
it, not for another python on PATH.
"""

import base64
import os
import sys
import time
import unittest

# The shared harness, from the runfiles root (the working directory).
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "testing"))
import grpc_python_harness as harness  # noqa: E402

SERVER = os.environ.get("DASHBOARD_GRPC_TEST_SERVER", "tests/dashboard/grpc_test_server")
PROTOS = [
    "proto/naming.proto",
    "proto/failover_data.proto",
    "proto/metrics_snapshot.proto",
    "proto/payload_store.proto",
]
HEALTH_PROTO_DIR = "dashboard/grpc/testing"
RPC_TIMEOUT_S = harness.RPC_TIMEOUT_S
INGEST_TOKEN = "py-ingest-token"
ADMIN = "Basic " + base64.b64encode(b"admin:admin-pw").decode()

grpc = harness.grpc
fd = fd_grpc = ms = ms_grpc = ps = ps_grpc = health = health_grpc = None  # In setUpModule.


def setUpModule():
    global fd, fd_grpc, ms, ms_grpc, ps, ps_grpc, health, health_grpc
    harness.generate_stubs(
        "dashboard_grpc_stubs_",
        [(".", PROTOS), (HEALTH_PROTO_DIR, [os.path.join(HEALTH_PROTO_DIR, "health.proto")])],
    )
    import health_pb2
    import health_pb2_grpc
    from proto import failover_data_pb2, failover_data_pb2_grpc
    from proto import metrics_snapshot_pb2, metrics_snapshot_pb2_grpc
    from proto import payload_store_pb2, payload_store_pb2_grpc

    fd, fd_grpc = failover_data_pb2, failover_data_pb2_grpc
    ms, ms_grpc = metrics_snapshot_pb2, metrics_snapshot_pb2_grpc
    ps, ps_grpc = payload_store_pb2, payload_store_pb2_grpc
    health, health_grpc = health_pb2, health_pb2_grpc


class DashboardGrpcTestCase(harness.ServerTestCase):
    SERVER = SERVER


class HealthTest(DashboardGrpcTestCase):
    def test_serving(self):
        stub = health_grpc.HealthStub(self.channel)
        response = stub.Check(health.HealthCheckRequest(), timeout=RPC_TIMEOUT_S)
        self.assertEqual(response.status, health.HealthCheckResponse.SERVING)


class ClusterIngestTest(DashboardGrpcTestCase):
    def snapshot(self, instance_id):
        return ms.MetricsSnapshot(
            instance_id=instance_id,
            taken_at_unix_nanos=time.time_ns(),
            process_start_unix_nanos=1_700_000_000_000_000_000,
            sequence=1,
            series=[
                ms.MetricSeries(
                    name="failover.calls",
                    tags=[ms.Tag(key="failover", value="quotes")],
                    counter=12,
                ),
                ms.MetricSeries(
                    name="failover.latency",
                    unit="seconds",
                    histogram=ms.Histogram(
                        count=2,
                        sum=0.3,
                        max=0.2,
                        buckets=[
                            ms.Histogram.Bucket(upper_bound=0.1, cumulative_count=1),
                            ms.Histogram.Bucket(upper_bound=float("inf"), cumulative_count=2),
                        ],
                    ),
                ),
            ],
        )

    def test_push_snapshot_and_heartbeat_with_a_bearer_token(self):
        stub = ms_grpc.ClusterIngestStub(self.channel)
        metadata = [("authorization", "Bearer " + INGEST_TOKEN)]
        pushed = stub.PushSnapshot(self.snapshot("py-1"), timeout=RPC_TIMEOUT_S, metadata=metadata)
        self.assertTrue(pushed.accepted)
        beat = stub.Heartbeat(
            ms.HeartbeatRequest(instance_id="py-1", sent_at_unix_nanos=time.time_ns()),
            timeout=RPC_TIMEOUT_S,
            metadata=metadata,
        )
        self.assertTrue(beat.accepted)
        self.assertEqual(self.server.command("snapshots"), "py-1")
        self.assertEqual(self.server.command("heartbeats"), "py-1")

    def test_refused_pushes(self):
        stub = ms_grpc.ClusterIngestStub(self.channel)
        self.assertCode(grpc.StatusCode.UNAUTHENTICATED, stub.PushSnapshot, self.snapshot("py-1"))
        self.assertCode(
            grpc.StatusCode.UNAUTHENTICATED,
            stub.PushSnapshot,
            self.snapshot("py-1"),
            metadata=[("authorization", "Bearer not-the-token")],
        )
        error = self.assertCode(
            grpc.StatusCode.INVALID_ARGUMENT,
            stub.PushSnapshot,
            self.snapshot(""),
            metadata=[("authorization", "Bearer " + INGEST_TOKEN)],
        )
        self.assertIn("instance_id", error.details())
        self.assertEqual(self.server.command("snapshots"), "")


class FailoverDataTest(DashboardGrpcTestCase):
    def test_switch_and_service(self):
        stub = fd_grpc.FailoverDataStub(self.channel)
        switch = stub.GetSwitch(fd.GetSwitchRequest(namespace="public"), timeout=RPC_TIMEOUT_S)
        self.assertFalse(switch.state.enabled)
        self.assertEqual(switch.revision, 1)
        self.assertTrue(switch.epoch)
        service = stub.GetService(
            fd.GetServiceRequest(namespace="public", key="DEFAULT_GROUP@@orders"),
            timeout=RPC_TIMEOUT_S,
        )
        self.assertEqual(
            [(h.ip, h.port) for h in service.service.info.hosts], [("10.0.0.1", 8080)]
        )
        self.assertCode(
            grpc.StatusCode.NOT_FOUND,
            stub.GetService,
            fd.GetServiceRequest(namespace="public", key="DEFAULT_GROUP@@payments"),
        )

    def test_watch_sees_a_switch_flip(self):
        stub = fd_grpc.FailoverDataStub(self.channel)
        stream = stub.Watch(fd.WatchRequest(namespace="public"), timeout=RPC_TIMEOUT_S * 3)
        self.addCleanup(stream.cancel)
        snapshot = next(stream)
        self.assertTrue(snapshot.snapshot_begin and snapshot.snapshot_end, snapshot)
        self.assertEqual(snapshot.revision, 1)

        self.assertEqual(self.server.command("switch public on drill"), "2")
        flipped_at = time.monotonic()
        change = next(stream)
        self.assertLess(time.monotonic() - flipped_at, 1.0)
        self.assertEqual(change.revision, 2)
        (event,) = change.events
        self.assertEqual(event.WhichOneof("change"), "switch_changed")
        self.assertTrue(event.switch_changed.enabled)
        self.assertEqual(event.switch_changed.reason, "drill")


class FailoverPayloadsTest(DashboardGrpcTestCase):
    def setUp(self):
        super().setUp()
        self.stub = ps_grpc.FailoverPayloadsStub(self.channel)
        self.admin = [("authorization", ADMIN)]

    def test_get_by_key_and_raw_key(self):
        got = self.stub.GetPayload(
            ps.GetPayloadRequest(name="quotes", key="k-a"),
            timeout=RPC_TIMEOUT_S,
            metadata=self.admin,
        )
        self.assertEqual((got.entry.name, got.entry.key), ("quotes", "k-a"))
        self.assertEqual(got.entry.payload, '{"px":1}')
        self.assertEqual(got.entry.payload_class, "acme.Quote")
        self.assertGreater(got.entry.expire_on_unix_nanos, time.time_ns())
        self.assertLess(got.entry.as_of_unix_nanos, got.entry.expire_on_unix_nanos)

        by_raw = self.stub.GetPayload(
            ps.GetPayloadRequest(name="quotes", raw_key="EURUSD:2"),
            timeout=RPC_TIMEOUT_S,
            metadata=self.admin,
        )
        self.assertEqual(by_raw.entry.payload, '{"px":3}')
        self.assertRegex(by_raw.entry.key, r"^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-")

        self.assertCode(
            grpc.StatusCode.NOT_FOUND,
            self.stub.GetPayload,
            ps.GetPayloadRequest(name="quotes", key="k-missing"),
            metadata=self.admin,
        )
        self.assertCode(
            grpc.StatusCode.INVALID_ARGUMENT,
            self.stub.GetPayload,
            ps.GetPayloadRequest(name="quotes"),
            metadata=self.admin,
        )

    def test_list_in_pages(self):
        keys = []
        token = ""
        while True:
            page = self.stub.ListPayloads(
                ps.ListPayloadsRequest(name="quotes", page_size=1, page_token=token),
                timeout=RPC_TIMEOUT_S,
                metadata=self.admin,
            )
            self.assertEqual(len(page.entries), 1)
            keys.append(page.entries[0].key)
            token = page.next_page_token
            if not token:
                break
        self.assertEqual(len(keys), 3)
        self.assertEqual(keys, sorted(keys))
        self.assertIn("k-b", keys)

    def test_needs_admin_credentials(self):
        self.assertCode(
            grpc.StatusCode.UNAUTHENTICATED,
            self.stub.GetPayload,
            ps.GetPayloadRequest(name="quotes", key="k-a"),
        )
        self.assertCode(
            grpc.StatusCode.UNAUTHENTICATED,
            self.stub.ListPayloads,
            ps.ListPayloadsRequest(name="quotes"),
            metadata=[("authorization", "Basic " + base64.b64encode(b"admin:wrong").decode())],
        )


if __name__ == "__main__":
    # exit=True: the exit code is non-zero when any test fails or errs.
    unittest.main(verbosity=2)
