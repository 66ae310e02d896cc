#!/usr/bin/python3
"""failoverd end to end: the real binary over real HTTP, its SQLite files, its signals.

Each test starts //dashboard:failoverd as a process on free loopback ports (FAILOVER_DASHBOARD_
LISTEN / _GRPCLISTEN = 127.0.0.1:0; failoverd prints the ports it got) and talks to it with
Python's standard library only. Runs from the Bazel runfiles root (the sh_test runs it there); by
hand, from the workspace root after `bazel build //dashboard:failoverd //tools/failoverctl`, with
FAILOVERD=bazel-bin/dashboard/failoverd FAILOVERCTL=bazel-bin/tools/failoverctl/failoverctl.
The /metrics tests check the page with Prometheus's own `promtool check metrics` (PROMTOOL,
default /usr/bin/promtool, from the Debian prometheus package tools/lib/install-packages installs).
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
FAILOVERCTL = os.environ.get("FAILOVERCTL", "tools/failoverctl/failoverctl")
PROMTOOL = os.environ.get("PROMTOOL", "/usr/bin/promtool")
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"
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

    def root_url(self, path):
        return "http://127.0.0.1:%d/%s" % (self.http_port, path)


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


def run(args, stdin="", env=None):
    """A finished process (text mode): returncode, stdout, stderr."""
    return subprocess.run(args, input=stdin, capture_output=True, text=True, env=env,
                          timeout=HTTP_TIMEOUT_S)


def promtool_check(test, page):
    """Asserts that Prometheus's own linter accepts `page` (exit 0, no problems listed)."""
    checked = run([PROMTOOL, "check", "metrics"], stdin=page)
    test.assertEqual(checked.returncode, 0,
                     "promtool check metrics: %s%s\n--- page:\n%s"
                     % (checked.stdout, checked.stderr, page))


def generated_password(server):
    for line in server.output:
        if "password:" in line:
            return line.split("password:", 1)[1].strip()
    raise AssertionError("no generated password in: " + "".join(server.output))


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


class MetricsEndpointTest(unittest.TestCase):
    """/metrics: failoverd's own registry in Prometheus text, and `failoverctl metrics`."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def start(self, args):
        server = Failoverd(args)
        self.addCleanup(server.kill)
        return server.wait_ready()

    def test_scrape_after_ingest_passes_promtool(self):
        data = os.path.join(self.dir, "data")
        server = self.start(["--data-dir", data])
        admin = basic("admin", generated_password(server))
        with open(os.path.join(data, "ingest-token")) as f:
            bearer = {"Content-Type": "application/json", "Authorization": "Bearer " + f.read().strip()}
        for sequence in (1, 2):
            status, _, body = request(server.url("api/cluster/snapshot"), "POST", bearer,
                                      snapshot_json("m-1", sequence, 10, 0))
            self.assertEqual(status, 202, body)
        status, _, body = request(server.url("api/cluster/heartbeat"), "POST", bearer,
                                  json.dumps({"instanceId": "m-1"}).encode())
        self.assertEqual(status, 202, body)
        status, _, _ = request(server.url("api/cluster/snapshot"), "POST",
                               {"Content-Type": "application/json"}, snapshot_json("m-1", 3, 1, 0))
        self.assertEqual(status, 401)
        status, _, _ = request(server.url("api/cluster/snapshot"), "POST", bearer, b"{not json")
        self.assertEqual(status, 400)

        status, headers, body = request(server.root_url("metrics"))
        self.assertEqual(status, 401, body)
        self.assertIn("Basic", headers.get("WWW-Authenticate", ""))
        self.assertEqual(request(server.url("metrics"), headers=admin)[0], 404)  # Root only.

        status, headers, page = request(server.root_url("metrics"), headers=admin)
        self.assertEqual(status, 200, page)
        self.assertEqual(headers.get("Content-Type"), PROMETHEUS_TEXT)
        for line in (
                'failover_dashboard_ingest_total{result="accepted",transport="http"} 3',
                'failover_dashboard_ingest_total{result="rejected",transport="http"} 1',
                'failover_dashboard_ingest_total{result="unauthorized",transport="http"} 1',
                'failover_dashboard_ingest_total{result="accepted",transport="grpc"} 0',
                'failover_dashboard_instances{liveness="LIVE"} 1',
                'failover_dashboard_instances{liveness="DOWN"} 0',
                'failover_dashboard_naming_switch{namespace="public"} 0'):
            self.assertIn(line + "\n", page)
        # The default instance mode (auto) leaves the instance label to the scraper.
        self.assertNotIn("instance=", page)
        promtool_check(self, page)

        status, _, body = request(server.url("api/naming/switch?namespace=public"), "PUT",
                                  dict(admin, **{"Content-Type": "application/json"}),
                                  json.dumps({"enabled": True, "reason": "drill"}).encode())
        self.assertIn(status, (200, 204), body)
        page = request(server.root_url("metrics"), headers=admin)[2]
        self.assertIn('failover_dashboard_naming_switch{namespace="public"} 1\n', page)
        self.assertEqual(server.stop(signal.SIGTERM), 0, "".join(server.errors))

    def test_failoverctl_metrics_prints_the_page(self):
        hashed = run([FAILOVERCTL, "dashboard", "hash-password", "--iterations", "100000"],
                     stdin="ops-secret\n")
        self.assertEqual(hashed.returncode, 0, hashed.stderr)
        # exposure.include leaves out the API's metrics endpoint: /metrics is served regardless.
        config = write(os.path.join(self.dir, "failoverd.yml"),
                       "failover:\n  dashboard:\n    enabled: true\n"
                       "    exposure:\n      include: [health]\n"
                       "    security:\n      users:\n        - username: ops\n"
                       "          password-hash: \"%s\"\n          roles: [FAILOVER_ADMIN]\n"
                       % hashed.stdout.strip())
        server = self.start(["--config", config])
        ops = basic("ops", "ops-secret")
        self.assertEqual(request(server.url("api/metrics"), headers=ops)[0], 404)
        status, _, direct = request(server.root_url("metrics"), headers=ops)
        self.assertEqual(status, 200, direct)

        # failoverctl reads the same file; the environment override says which port failoverd
        # took (the harness asked it for port 0), as it would override failoverd's own.
        env = dict(os.environ, FAILOVER_DASHBOARD_LISTEN="127.0.0.1:%d" % server.http_port,
                   OPS_PASSWORD="ops-secret")
        printed = run([FAILOVERCTL, "metrics", "--config", config, "--user", "ops",
                       "--password-env", "OPS_PASSWORD"], env=env)
        self.assertEqual(printed.returncode, 0, printed.stderr)
        self.assertEqual(printed.stdout, direct)
        self.assertIn('failover_dashboard_ingest_total{result="accepted",transport="grpc"} 0\n',
                      printed.stdout)
        promtool_check(self, printed.stdout)

        anonymous = run([FAILOVERCTL, "metrics", "--config", config], env=env)
        self.assertEqual(anonymous.returncode, 1)
        self.assertEqual(anonymous.stdout, "")
        self.assertIn("unauthorized: pass --user and --password-env", anonymous.stderr)
        usage = run([FAILOVERCTL, "metrics", "--user", "ops"], env=env)
        self.assertEqual(usage.returncode, 2, usage.stderr)
        self.assertEqual(server.stop(signal.SIGTERM), 0, "".join(server.errors))
        gone = run([FAILOVERCTL, "metrics", "--config", config, "--user", "ops",
                    "--password-env", "OPS_PASSWORD"], env=env)
        self.assertEqual(gone.returncode, 1)
        self.assertIn("is failoverd running", gone.stderr)


class OtlpReceiver:
    """A plain HTTP server on a free loopback port that records every POST (path, headers, body)."""

    def __init__(self):
        import http.server
        received = self.received = queue.Queue()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.put((self.path, dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, test, timeout_s=STARTUP_TIMEOUT_S):
        try:
            return self.received.get(timeout=timeout_s)
        except queue.Empty:
            test.fail("no OTLP export arrived within %d s" % timeout_s)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class OtlpExportTest(unittest.TestCase):
    """failover.observable.otlp: failoverd pushes its own registry to an OTLP/HTTP receiver."""

    def test_periodic_and_final_exports(self):
        data = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, data, ignore_errors=True)
        receiver = OtlpReceiver()
        self.addCleanup(receiver.close)
        server = Failoverd(["--data-dir", os.path.join(data, "d")], extra_env={
            "FAILOVER_OBSERVABLE_OTLP_ENABLED": "true",
            "FAILOVER_OBSERVABLE_OTLP_ENDPOINT": "http://127.0.0.1:%d/v1/metrics" % receiver.port,
            "FAILOVER_OBSERVABLE_OTLP_INTERVAL": "300ms",
            "FAILOVER_OBSERVABLE_OTLP_TIMEOUT": "5s",
            "FAILOVER_OBSERVABLE_OTLP_HEADERS": "X-Scope-OrgID=ops",
        })
        self.addCleanup(server.kill)
        server.wait_ready()
        path, headers, body = receiver.next(self)
        self.assertEqual(path, "/v1/metrics")
        self.assertEqual(headers.get("Content-Type"), "application/x-protobuf")
        self.assertEqual(headers.get("X-Scope-OrgID"), "ops")
        # The protobuf body carries the resource and meter names as plain strings (the Node
        # decoder test in tests/observability checks the full structure).
        for text in (b"service.name", b"failoverd", b"failover-toolkit",
                     b"failover.dashboard.ingest.total", b"failover.dashboard.naming.switch"):
            self.assertIn(text, body)
        receiver.next(self)  # Periodic: another one an interval later.
        self.assertEqual(server.stop(signal.SIGTERM), 0, "".join(server.errors))
        # The final export at shutdown (or the last periodic ones) arrived before the exit.
        self.assertFalse(any("OTLP" in line and "fail" in line for line in server.errors),
                         "".join(server.errors))


if __name__ == "__main__":
    unittest.main()
