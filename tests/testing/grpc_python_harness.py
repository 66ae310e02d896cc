"""What the Python gRPC client tests share: stubs generated at test time, and a test server run
as a child process.

generate_stubs() runs the system protoc with grpc_python_plugin (/usr/bin, Debian's
protobuf-compiler and protobuf-compiler-grpc) into a fresh temporary directory (removed at module
cleanup) and puts that directory first on sys.path, so the tests import the generated modules.
ServerProcess runs a test server that prints its port as its first line, then answers each command
line on its stdin with one line, "ok" or "ok VALUE" on success; "quit" asks it to exit.
ServerTestCase starts one per test, with an insecure channel to it, and checks at the end that the
server exited with 0 (under ASan that also says it leaked nothing).

A test script imports this module from the Bazel runfiles root, its working directory:

    sys.path.insert(0, os.path.join(os.getcwd(), "tests", "testing"))
    import grpc_python_harness as harness

Uses whatever python imports it: the tests run /usr/bin/python3, for which Debian's python3-grpcio
and python3-protobuf are installed.
"""

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import grpc

# Generous bounds for a loaded CI machine (and ASan); the happy path takes milliseconds.
STARTUP_TIMEOUT_S = 30
REPLY_TIMEOUT_S = 10
RPC_TIMEOUT_S = 10


def generate_stubs(prefix, sources):
    """Generates *_pb2 and *_pb2_grpc modules for `sources`, pairs (include_dir, [proto files]),
    into a fresh directory named with `prefix`, first on sys.path from now on."""
    out = tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("TEST_TMPDIR"))
    unittest.addModuleCleanup(shutil.rmtree, out, ignore_errors=True)
    for include, files in sources:
        for flag in ["--python_out=" + out, "--grpc_python_out=" + out]:
            subprocess.run(
                [
                    "/usr/bin/protoc",
                    "-I" + include,
                    flag,
                    "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
                    *files,
                ],
                check=True,
            )
    # The generated code imports "proto.naming_pb2": make proto/ a regular package, so nothing
    # else named "proto" on sys.path can shadow it.
    if os.path.isdir(os.path.join(out, "proto")):
        open(os.path.join(out, "proto", "__init__.py"), "w").close()
    sys.path.insert(0, out)
    return out


class ServerProcess:
    """A test server in a child process: its port, and commands on its stdin."""

    def __init__(self, path):
        self.path = path
        self.proc = subprocess.Popen(
            [path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self._lines = queue.Queue()
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        try:
            self.port = int(self._next_line(STARTUP_TIMEOUT_S))
        except BaseException:
            self.kill()
            raise

    def _read_stdout(self):
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)  # The server exited.

    def _next_line(self, timeout):
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{self.path}: no output within {timeout} s") from None
        if line is None:
            raise AssertionError(f"{self.path} exited with {self.proc.wait()}")
        return line

    def command(self, line):
        """Runs one command; what follows "ok " in its reply. Fails the test on an error reply."""
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self._next_line(REPLY_TIMEOUT_S)
        if reply != "ok" and not reply.startswith("ok "):
            raise AssertionError(f"'{line}': {reply}")
        return reply[3:]

    def quit(self):
        """Asks the server to exit; its exit code (killed, so negative, if it does not)."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=STARTUP_TIMEOUT_S)
            except (OSError, subprocess.TimeoutExpired):
                pass
        return self.kill()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        self._reader.join()  # Ends at the end of stdout, which the exit closed.
        self.proc.stdout.close()
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        return code


class ServerTestCase(unittest.TestCase):
    """One server (SERVER, a path) per test and self.channel to it."""

    SERVER = None

    def start_server(self):
        """The server of one test; a test case may return a ServerProcess subclass."""
        return ServerProcess(self.SERVER)

    def setUp(self):
        self.server = self.start_server()
        self.addCleanup(self.server.kill)  # Also when setUp or tearDown fails.
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.server.port}")
        self.addCleanup(self.channel.close)

    def tearDown(self):
        # Closing the channel first cancels open watches and lets the server's shutdown finish at
        # once (with a client connection open it waits for its deadline). Under ASan the exit
        # code also says there were no leaks.
        self.channel.close()
        self.assertEqual(self.server.quit(), 0, "the server's exit code")

    def assertCode(self, code, rpc, request, **kwargs):
        """Calls rpc(request); asserts it fails with status `code`; the error."""
        with self.assertRaises(grpc.RpcError) as raised:
            rpc(request, timeout=RPC_TIMEOUT_S, **kwargs)
        self.assertEqual(raised.exception.code(), code, raised.exception.details())
        return raised.exception
