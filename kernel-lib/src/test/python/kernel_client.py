"""A small jupyter_client driver for the tpdiff4j kernel, shared by the behaviour tests and environment/kernel-timing.py."""
import json
import os
import queue
import shutil
import tempfile
import time
import unittest

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager


def kernel_manager(heap=None):
    """A KernelManager for the installed "tpdiff4j" kernelspec; heap overrides its -Xmx (e.g. "512m")."""
    if heap is None:
        return KernelManager(kernel_name="tpdiff4j"), None
    spec = KernelSpecManager().get_kernel_spec("tpdiff4j")
    tmp = tempfile.mkdtemp(prefix="tpdiff4j-spec-")
    d = os.path.join(tmp, "tpdiff4j-test")
    os.makedirs(d)
    argv = ["-Xmx" + heap if a.startswith("-Xmx") else a for a in spec.argv]
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": "tpdiff4j test", "language": "java",
                   "interrupt_mode": "message", "env": spec.env}, f)
    return KernelManager(kernel_name="tpdiff4j-test", kernel_spec_manager=KernelSpecManager(kernel_dirs=[tmp])), tmp


class Kernel:
    """Starts a kernel; run(code) returns (reply content, [iopub messages of that request])."""

    def __init__(self, heap=None, startup_timeout=120, env=None, cwd=None):
        """env: extra environment variables for the kernel process (added to this process's environment); cwd: the
        kernel's working folder (a notebook's folder), else this process's."""
        self.km, self._tmp = kernel_manager(heap)
        self.t_launch = time.monotonic()
        self.km.start_kernel(**({"env": {**os.environ, **env}} if env else {}), **({"cwd": str(cwd)} if cwd else {}))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=startup_timeout)

    def submit(self, code):
        return self.kc.execute(code)

    def collect(self, msg_id, timeout=60):
        """Waits for the execute_reply of msg_id and the iopub messages up to its idle status."""
        deadline = time.monotonic() + timeout
        reply = None
        while reply is None:
            m = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if m["parent_header"].get("msg_id") == msg_id:
                reply = m
                reply["received"] = time.monotonic()
        out = []
        while True:
            m = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            m["received"] = time.monotonic()
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
            if m["msg_type"] not in ("status", "execute_input"):
                out.append(m)
        return reply, out

    def run(self, code, timeout=60):
        reply, out = self.collect(self.submit(code), timeout)
        return reply["content"], out

    def value(self, code, timeout=60):
        """The text/plain execute_result of code (asserts the cell succeeded)."""
        content, out = self.run(code, timeout)
        if content["status"] != "ok":
            raise AssertionError("cell failed: %r -> %s: %s" % (code, content.get("ename"), content.get("evalue")))
        results = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]
        return results[-1] if results else None

    def close(self):
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=False)
        finally:
            if self._tmp:
                shutil.rmtree(self._tmp, ignore_errors=True)


def drain(channel_get, timeout=0.2):
    msgs = []
    while True:
        try:
            msgs.append(channel_get(timeout=timeout))
        except queue.Empty:
            return msgs


class OneKernelCase(unittest.TestCase):
    """Tests that share one quiet kernel (512 MiB, no warm-up) and start each test with empty iopub and stdin queues."""

    @classmethod
    def setUpClass(cls):
        cls.k = Kernel(heap="512m", env={"TPDIFF4J_KERNEL_WARMUP": "0"})
        cls.kc = cls.k.kc

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def setUp(self):
        drain(self.kc.get_iopub_msg, 0.1)
        drain(self.kc.get_stdin_msg, 0.1)
