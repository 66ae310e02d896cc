#!/usr/bin/python3
"""failover.v1.FailoverData through an independent client: Python grpcio (Debian's 1.51).

Stubs are generated at test time from proto/naming.proto and proto/failover_data.proto with the
system protoc and grpc_python_plugin (tests/testing/grpc_python_harness.py); each test starts its
own failover_data_test_server (the in-memory server as a process, seeded as its header comment
says) and drives changes through its stdin. Runs from the Bazel runfiles root (the sh_test runs it
there); by hand, from the workspace root after
`bazel build //tests/naming-client:failover_data_test_server`, with
FAILOVER_DATA_TEST_SERVER=bazel-bin/tests/naming-client/failover_data_test_server.

Uses /usr/bin/python3 on purpose: Debian's python3-grpcio and python3-protobuf are installed for
it, not for another python on PATH.
"""

import os
import sys
import unittest

# The shared harness, from the runfiles root (the working directory).
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "testing"))
import grpc_python_harness as harness  # noqa: E402

SERVER = os.environ.get(
    "FAILOVER_DATA_TEST_SERVER", "tests/naming-client/failover_data_test_server"
)
PROTOS = ["proto/naming.proto", "proto/failover_data.proto"]
RPC_TIMEOUT_S = harness.RPC_TIMEOUT_S

grpc = harness.grpc
pb = None  # failover_data_pb2, imported in setUpModule
pb_grpc = None  # failover_data_pb2_grpc


def setUpModule():
    global pb, pb_grpc
    harness.generate_stubs("failover_data_stubs_", [(".", PROTOS)])
    from proto import failover_data_pb2, failover_data_pb2_grpc

    pb, pb_grpc = failover_data_pb2, failover_data_pb2_grpc


class TestServer(harness.ServerProcess):
    """failover_data_test_server in a child process: its port, and commands on its stdin."""

    def command(self, line):
        """Runs one command; the revision it took. Fails the test on an error reply."""
        return int(super().command(line))


class FailoverDataTestCase(harness.ServerTestCase):
    SERVER = SERVER

    def start_server(self):
        return TestServer(self.SERVER)

    def setUp(self):
        super().setUp()
        self.stub = pb_grpc.FailoverDataStub(self.channel)

    def get_switch(self, namespace):
        return self.stub.GetSwitch(pb.GetSwitchRequest(namespace=namespace), timeout=RPC_TIMEOUT_S)

    def list_services(self, namespace, **request):
        return self.stub.ListServices(
            pb.ListServicesRequest(namespace=namespace, **request), timeout=RPC_TIMEOUT_S
        )

    def get_service(self, namespace, key):
        return self.stub.GetService(
            pb.GetServiceRequest(namespace=namespace, key=key), timeout=RPC_TIMEOUT_S
        )

    def epoch(self):
        return self.get_switch("public").epoch

    def watch(self, **request):
        stream = self.stub.Watch(pb.WatchRequest(**request), timeout=RPC_TIMEOUT_S * 3)
        self.addCleanup(stream.cancel)
        return stream

    def read_snapshot(self, stream):
        """The responses of one snapshot, begin to end."""
        responses = [next(stream)]
        self.assertTrue(responses[0].snapshot_begin, responses[0])
        while not responses[-1].snapshot_end:
            responses.append(next(stream))
            self.assertFalse(responses[-1].snapshot_begin, responses[-1])
        return responses

    def read_events(self, stream, count):
        """The next `count` events (outside a snapshot), whatever batches they come in."""
        events = []
        while len(events) < count:
            response = next(stream)
            self.assertFalse(response.snapshot_begin or response.snapshot_end, response)
            self.assertTrue(response.events, "no heartbeats were asked for")
            # A batch takes the client to the revision of its last event.
            self.assertEqual(response.revision, response.events[-1].revision, response)
            events.extend(response.events)
        self.assertEqual(len(events), count, events)
        return events


def hosts(info):
    return [f"{h.ip}:{h.port}" for h in info.hosts]


class ReadTest(FailoverDataTestCase):
    def test_get_switch_per_namespace(self):
        public = self.get_switch("public")
        self.assertTrue(public.state.enabled)
        self.assertEqual(public.state.reason, "seeded")
        self.assertEqual(public.state.revision, 3)
        self.assertEqual(public.revision, 3)
        self.assertTrue(public.epoch)
        # A blank namespace is "public".
        blank = self.get_switch("")
        self.assertEqual(blank, public)

        dev = self.get_switch("dev")
        self.assertFalse(dev.state.enabled)
        self.assertEqual(dev.state.revision, 0)  # Never set.
        self.assertEqual(dev.revision, 1)
        self.assertEqual(dev.epoch, public.epoch)

        unknown = self.get_switch("nowhere")
        self.assertFalse(unknown.state.enabled)
        self.assertEqual(unknown.revision, 0)

        self.assertEqual(self.server.command("switch dev on drill"), 2)
        dev = self.get_switch("dev")
        self.assertTrue(dev.state.enabled)
        self.assertEqual((dev.state.reason, dev.state.revision, dev.revision), ("drill", 2, 2))

    def test_list_services_pages(self):
        first = self.list_services("public", page_size=1)
        self.assertEqual([s.key for s in first.services], ["DEFAULT_GROUP@@orders"])
        self.assertTrue(first.next_page_token)
        self.assertEqual(first.revision, 3)
        second = self.list_services("public", page_size=1, page_token=first.next_page_token)
        self.assertEqual([s.key for s in second.services], ["DEFAULT_GROUP@@payments"])
        self.assertEqual(second.next_page_token, "")
        self.assertEqual((second.revision, second.epoch), (first.revision, first.epoch))
        # The pages together are the whole list (page_size 0: the default, 100), in key order.
        whole = self.list_services("public")
        self.assertEqual(list(whole.services), list(first.services) + list(second.services))
        self.assertEqual(whole.next_page_token, "")
        self.assertEqual(hosts(whole.services[1].info), ["10.0.0.2:8080", "10.0.0.3:8080"])
        self.assertEqual([s.revision for s in whole.services], [1, 2])

        dev = self.list_services("dev")
        self.assertEqual([(s.key, hosts(s.info)) for s in dev.services],
                         [("DEFAULT_GROUP@@orders", ["10.1.0.1:8080"])])
        self.assertEqual(dev.revision, 1)

        self.assertCode(grpc.StatusCode.INVALID_ARGUMENT, self.stub.ListServices,
                        pb.ListServicesRequest(namespace="public", page_size=-1))
        self.assertCode(grpc.StatusCode.INVALID_ARGUMENT, self.stub.ListServices,
                        pb.ListServicesRequest(namespace="a/b"))

    def test_get_service(self):
        got = self.get_service("public", "DEFAULT_GROUP@@orders")
        self.assertEqual(got.service.key, "DEFAULT_GROUP@@orders")
        self.assertEqual(got.service.revision, 1)
        self.assertEqual(got.revision, 3)
        info = got.service.info
        self.assertEqual((info.name, info.group_name), ("orders", "DEFAULT_GROUP"))
        self.assertEqual(hosts(info), ["10.0.0.1:8080"])
        # proto2 defaults that are not zero cross the wire as such (the Nacos defaults).
        self.assertEqual(info.hosts[0].weight, 1.0)
        self.assertTrue(info.hosts[0].healthy)
        self.assertEqual(info.cache_millis, 1000)

        dev = self.get_service("dev", "DEFAULT_GROUP@@orders")
        self.assertEqual(hosts(dev.service.info), ["10.1.0.1:8080"])

        for namespace, key in [
            ("public", "DEFAULT_GROUP@@inventory"),
            ("dev", "DEFAULT_GROUP@@payments"),
            ("nowhere", "DEFAULT_GROUP@@orders"),
        ]:
            with self.subTest(namespace=namespace, key=key):
                self.assertCode(grpc.StatusCode.NOT_FOUND, self.stub.GetService,
                                pb.GetServiceRequest(namespace=namespace, key=key))
        # Not a key; not written as a key is (trailing "@@"); bad namespaces.
        for namespace, key in [("public", "orders"), ("public", "DEFAULT_GROUP@@orders@@"),
                               ("public", "@@orders"), ("..", "DEFAULT_GROUP@@orders"),
                               ("a/b", "DEFAULT_GROUP@@orders")]:
            with self.subTest(namespace=namespace, key=key):
                self.assertCode(grpc.StatusCode.INVALID_ARGUMENT, self.stub.GetService,
                                pb.GetServiceRequest(namespace=namespace, key=key))
        self.assertCode(grpc.StatusCode.INVALID_ARGUMENT, self.stub.GetSwitch,
                        pb.GetSwitchRequest(namespace=".."))


class WatchTest(FailoverDataTestCase):
    def test_snapshot_then_changes_in_revision_order(self):
        public = self.watch(namespace="public")
        dev = self.watch(namespace="dev")
        snapshot = self.read_snapshot(public)
        epoch = snapshot[0].epoch
        self.assertTrue(epoch)
        for response in snapshot:
            self.assertEqual((response.epoch, response.revision), (epoch, 3))
        events = [e for response in snapshot for e in response.events]
        switches = [e for e in events if e.WhichOneof("change") == "switch_changed"]
        self.assertEqual(len(switches), 1, events)
        self.assertEqual(switches[0].revision, 3)
        self.assertTrue(switches[0].switch_changed.enabled)
        self.assertEqual(switches[0].switch_changed.reason, "seeded")
        services = [e for e in events if e.WhichOneof("change") == "service_upserted"]
        self.assertEqual(len(services) + 1, len(events), "a snapshot holds no removals")
        listed = self.list_services("public")
        self.assertEqual([e.service_upserted for e in services], list(listed.services))
        self.assertEqual([e.revision for e in services], [1, 2])
        dev_snapshot = self.read_snapshot(dev)
        dev_keys = [
            e.service_upserted.key
            for response in dev_snapshot
            for e in response.events
            if e.HasField("service_upserted")
        ]
        self.assertEqual(dev_keys, ["DEFAULT_GROUP@@orders"])

        self.assertEqual(self.server.command("switch public off registry back"), 4)
        inventory = "upsert public DEFAULT_GROUP@@inventory 10.0.0.9:9090"
        self.assertEqual(self.server.command(inventory), 5)
        self.assertEqual(self.server.command("remove public DEFAULT_GROUP@@orders"), 6)
        # Changes that change nothing take no revision and send nothing.
        self.assertEqual(self.server.command("switch public off registry back"), 6)
        self.assertEqual(self.server.command("upsert dev DEFAULT_GROUP@@orders 10.1.0.2:8080"), 2)

        changes = self.read_events(public, 3)
        self.assertEqual([e.revision for e in changes], [4, 5, 6])
        self.assertEqual(changes[0].WhichOneof("change"), "switch_changed")
        self.assertFalse(changes[0].switch_changed.enabled)
        self.assertEqual(changes[0].switch_changed.reason, "registry back")
        self.assertEqual(changes[0].switch_changed.revision, 4)
        self.assertEqual(changes[1].WhichOneof("change"), "service_upserted")
        self.assertEqual(changes[1].service_upserted.key, "DEFAULT_GROUP@@inventory")
        self.assertEqual(changes[1].service_upserted.revision, 5)
        self.assertEqual(hosts(changes[1].service_upserted.info), ["10.0.0.9:9090"])
        self.assertEqual(changes[2].WhichOneof("change"), "service_removed")
        self.assertEqual(changes[2].service_removed, "DEFAULT_GROUP@@orders")
        # The other namespace's watch sees only its own change, at its own revision.
        (dev_change,) = self.read_events(dev, 1)
        self.assertEqual(dev_change.revision, 2)
        self.assertEqual(hosts(dev_change.service_upserted.info), ["10.1.0.2:8080"])

    def test_resume_from_a_revision_gets_only_later_events(self):
        epoch = self.epoch()
        inventory = "upsert public DEFAULT_GROUP@@inventory 10.0.0.9:9090"
        self.assertEqual(self.server.command(inventory), 4)
        self.assertEqual(self.server.command("switch public off"), 5)

        resumed = self.watch(namespace="public", from_revision=3, epoch=epoch)
        first = next(resumed)
        self.assertFalse(first.snapshot_begin or first.snapshot_end, first)
        self.assertEqual(first.epoch, epoch)
        events = list(first.events)
        if len(events) < 2:  # The server may send a batch per change.
            events += self.read_events(resumed, 2 - len(events))
        self.assertEqual([e.revision for e in events], [4, 5])
        self.assertEqual(events[0].service_upserted.key, "DEFAULT_GROUP@@inventory")
        self.assertFalse(events[1].switch_changed.enabled)

        # Up to date: the first response has no events and says where the client is.
        current = self.watch(namespace="public", from_revision=5, epoch=epoch)
        first = next(current)
        self.assertFalse(first.snapshot_begin or first.snapshot_end, first)
        self.assertEqual((first.revision, len(first.events)), (5, 0))
        self.assertEqual(self.server.command("remove public DEFAULT_GROUP@@payments"), 6)
        (removed,) = self.read_events(current, 1)
        self.assertEqual(removed.revision, 6)
        self.assertEqual(removed.service_removed, "DEFAULT_GROUP@@payments")

    def test_resume_under_another_epoch_or_ahead_gets_a_snapshot(self):
        epoch = self.epoch()
        for request in [
            dict(from_revision=2, epoch="not-" + epoch),  # Another epoch.
            dict(from_revision=99, epoch=epoch),  # Ahead of the server.
        ]:
            with self.subTest(**request):
                snapshot = self.read_snapshot(self.watch(namespace="public", **request))
                self.assertEqual((snapshot[-1].epoch, snapshot[-1].revision), (epoch, 3))
                self.assertEqual(sum(len(r.events) for r in snapshot), 3)  # Switch + 2 services.

    def test_heartbeats_on_a_quiet_stream(self):
        stream = self.watch(
            namespace="dev", from_revision=1, epoch=self.epoch(), heartbeat_interval_ms=50
        )
        for _ in range(3):  # The first response, then two heartbeats.
            beat = next(stream)
            self.assertEqual((beat.revision, len(beat.events), beat.snapshot_begin), (1, 0, False))


if __name__ == "__main__":
    # exit=True: the exit code is non-zero when any test fails or errs.
    unittest.main(verbosity=2)
