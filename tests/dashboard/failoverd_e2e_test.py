#!/usr/bin/python3
"""failoverd end to end: the real binary over real HTTP, its SQLite files, its signals.

Each test starts //dashboard:failoverd as a process on free loopback ports (FAILOVER_DASHBOARD_
LISTEN / _GRPCLISTEN = 127.0.0.1:0; failoverd prints the ports it got) and talks to it with
Python's standard library only. Runs from the Bazel runfiles root (the sh_test runs it there); by
hand, from the workspace root after `bazel build //dashboard:failoverd`, with
FAILOVERD=bazel-bin/dashboard/failoverd.
"""

import base64
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

FAILOVERD = os.environ.get("FAILOVERD", "dashboard/failoverd")
BASE = "/failover-dashboard"
# Generous bounds for a loaded CI machine (and ASan): PBKDF2 at 600,000 iterations runs on the
# first login.
STARTUP_TIMEOUT_S = 60
EXIT_TIMEOUT_S = 60
HTTP_TIMEOUT_S = 30


class Failoverd:
    """One failoverd process; stdout is read on a thread so the pipe never fills."""

    def __init__(self, args, extra_env=None):
        env = dict(os.environ)
        env["FAILOVER_DASHBOARD_LISTEN"] = "127.0.0.1:0"
        env["FAILOVER_DASHBOARD_GRPCLISTEN"] = "127.0.0.1:0"
        env.update(extra_env or {})
        self.proc = subprocess.Popen(
            [FAILOVERD, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        self.lines = queue.Queue()
        self.output = []
        self.errors = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.output, True),
                             daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.errors, False),
                             daemon=True),
        ]
        for pump in self.pumps:
            pump.start()
        self.http_port = None
        self.grpc_port = None

    def _pump(self, stream, sink, to_queue):
        for line in stream:
            sink.append(line)
            if to_queue:
                self.lines.put(line)
        if to_queue:
            self.lines.put(None)

    def wait_ready(self):
        deadline = time.time() + STARTUP_TIMEOUT_S
        while self.grpc_port is None:
            remaining = deadline - time.time()
            if remaining <= 0:
                raise AssertionError("failoverd did not start: " + "".join(self.output + self.errors))
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self.proc.wait(timeout=EXIT_TIMEOUT_S)
                raise AssertionError(
                    "failoverd exited with %s: %s" % (self.proc.returncode, "".join(self.errors)))
            if line.startswith("failoverd: http listening on "):
                self.http_port = int(line.strip().rsplit(":", 1)[1])
            if line.startswith("failoverd: grpc listening on "):
                self.grpc_port = int(line.strip().rsplit(":", 1)[1])
        return self

    def wait_exit(self):
        code = self.proc.wait(timeout=EXIT_TIMEOUT_S)
        # The process is gone, but its last lines may still be in the pipes: read them all.
        for pump in self.pumps:
            pump.join(timeout=EXIT_TIMEOUT_S)
        return code

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.wait_exit()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pump in self.pumps:
            pump.join(timeout=EXIT_TIMEOUT_S)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()

    def url(self, path):
        return "http://127.0.0.1:%d%s/%s" % (self.http_port, BASE, path)


def basic(user, password):
    token = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    return {"Authorization": "Basic " + token}


def request(url, method="GET", headers=None, body=None):
    """(status, headers, body text) without raising on HTTP errors."""
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def snapshot_json(instance, sequence, stored, not_recovered):
    now = time.time_ns()
    return json.dumps({
        "instanceId": instance,
        "takenAtUnixNanos": str(now),
        "processStartUnixNanos": str(now - 10**9),
        "sequence": str(sequence),
        "series": [
            {"name": "failover.store.total",
             "tags": [{"key": "name", "value": "inventory"}, {"key": "stored", "value": "true"}],
             "counter": stored},
            {"name": "failover.recovery.outcome.total",
             "tags": [{"key": "domain", "value": "inventory"}, {"key": "name", "value": "inventory"},
                      {"key": "outcome", "value": "not_recovered"}],
             "counter": not_recovered},
        ],
    }).encode()


def write(path, text):
    with open(path, "w") as out:
        out.write(text)
    return path


class RefusesToStartTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def start_with(self, yaml):
        server = Failoverd(["--config", write(os.path.join(self.dir, "failoverd.yml"), yaml)])
        self.addCleanup(server.kill)
        self.assertEqual(server.wait_exit(), 1)
        return "".join(server.errors)

    def test_without_users(self):
        errors = self.start_with("failover:\n  dashboard:\n    enabled: true\n")
        self.assertIn("failover.dashboard.security.users", errors)
        self.assertIn("allow-insecure", errors)

    def test_allow_insecure_under_prod(self):
        errors = self.start_with(
            "failover:\n  dashboard:\n    enabled: true\n    profile: prod\n"
            "    security:\n      allow-insecure: true\n")
        self.assertIn("allow-insecure", errors)
        self.assertIn("prod", errors)

    def test_disabled(self):
        errors = self.start_with("failover:\n  dashboard:\n    enabled: false\n")
        self.assertIn("failover.dashboard.enabled", errors)

    def test_malformed_password_hash(self):
        errors = self.start_with(
            "failover:\n  dashboard:\n    enabled: true\n    security:\n      users:\n"
            "        - username: admin\n          password-hash: plain-text\n"
            "          roles: [FAILOVER_ADMIN]\n")
        self.assertIn("users[0]", errors)


class EmbeddedDefaultsTest(unittest.TestCase):
    """--data-dir: generated credentials, shared-store on SQLite, durable across restarts."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.data = os.path.join(self.dir, "data")

    def start(self):
        server = Failoverd(["--data-dir", self.data])
        self.addCleanup(server.kill)
        return server.wait_ready()

    def test_secured_ingest_durable_restart(self):
        server = self.start()
        password = None
        for line in server.output:
            if "password:" in line:
                password = line.split("password:", 1)[1].strip()
        self.assertTrue(password, "no generated password in: " + "".join(server.output))
        with open(os.path.join(self.data, "ingest-token")) as f:
            token = f.read().strip()
        admin = basic("admin", password)

        status, headers, _ = request(server.url("api/health"))
        self.assertEqual(status, 401)
        self.assertIn("Basic", headers.get("WWW-Authenticate", ""))
        self.assertEqual(request(server.url("api/health"), headers=basic("admin", "wrong"))[0], 401)
        status, headers, body = request(server.url("api/health"), headers=admin)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff")
        self.assertIn("default-src 'self'", headers.get("Content-Security-Policy", ""))

        snapshot = snapshot_json("e2e-1", 1, stored=70, not_recovered=30)
        json_type = {"Content-Type": "application/json"}
        self.assertEqual(
            request(server.url("api/cluster/snapshot"), "POST", json_type, snapshot)[0], 401)
        bearer = dict(json_type, Authorization="Bearer " + token)
        status, _, body = request(server.url("api/cluster/snapshot"), "POST", bearer, snapshot)
        self.assertEqual(status, 202, body)
        status, _, body = request(server.url("api/cluster/heartbeat"), "POST", bearer,
                                  json.dumps({"instanceId": "e2e-1"}).encode())
        self.assertEqual(status, 202, body)
        status, _, body = request(server.url("api/cluster/snapshot"), "POST", bearer, b"{not json")
        self.assertEqual(status, 400, body)

        status, _, body = request(server.url("api/instances"), headers=admin)
        self.assertEqual(status, 200, body)
        self.assertIn("e2e-1", body)
        self.assertIn("LIVE", body)
        status, _, body = request(server.url("api/failover-health"), headers=admin)
        self.assertEqual(status, 200, body)
        self.assertIn("DOWN", body)
        self.assertIn("UNHEALTHY", body)

        status, _, body = request(server.url("api/naming/switch?namespace=public"), "PUT",
                                  dict(admin, **json_type),
                                  json.dumps({"enabled": True, "reason": "drill"}).encode())
        self.assertIn(status, (200, 204), body)
        orders = server.url("api/naming/services/DEFAULT_GROUP@@orders?namespace=public")
        status, _, body = request(orders, "PUT", dict(admin, **json_type), json.dumps(
            {"name": "orders", "groupName": "DEFAULT_GROUP",
             "hosts": [{"ip": "10.0.0.1", "port": 8080}]}).encode())
        self.assertEqual(status, 200, body)
        # Kept in the Nacos disk failover format, readable by naming-client's disk data source.
        failover = os.path.join(self.data, "naming", "nacos", "naming", "public", "failover")
        with open(os.path.join(failover, "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00")) as f:
            self.assertEqual(f.read(), "1\n")
        self.assertTrue(os.path.exists(os.path.join(failover, "DEFAULT_GROUP%40%40orders")))

        self.assertEqual(server.stop(signal.SIGTERM), 0, "".join(server.errors))
        self.assertIn("failoverd: stopped\n", server.output)

        again = self.start()
        self.assertFalse(any("password:" in line for line in again.output),
                         "credentials printed twice: " + "".join(again.output))
        status, _, body = request(again.url("api/instances"), headers=admin)
        self.assertEqual(status, 200, body)
        self.assertIn("e2e-1", body)
        status, _, body = request(again.url("api/failover-health"), headers=admin)
        self.assertIn("UNHEALTHY", body)
        # The naming failover switch and services survive the restart.
        status, _, body = request(again.url("api/naming/switch?namespace=public"), headers=admin)
        self.assertEqual(status, 200, body)
        self.assertIs(json.loads(body)["enabled"], True, body)
        self.assertIn("restored from", json.loads(body)["reason"])
        status, _, body = request(
            again.url("api/naming/services/DEFAULT_GROUP@@orders?namespace=public"), headers=admin)
        self.assertEqual(status, 200, body)
        self.assertIn("10.0.0.1", body)
        self.assertEqual(again.stop(signal.SIGINT), 0, "".join(again.errors))

    def test_lockout_after_repeated_failures(self):
        server = self.start()
        statuses = [request(server.url("api/health"), headers=basic("admin", "guess%d" % i))[0]
                    for i in range(6)]
        self.assertEqual(statuses[:5], [401] * 5)
        self.assertEqual(statuses[5], 429)


if __name__ == "__main__":
    unittest.main()
