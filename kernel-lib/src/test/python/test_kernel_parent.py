"""A kernel whose starting process is killed (a Notebook server or nbconvert that crashed, or was ended with SIGKILL)
exits by itself instead of staying behind as an unreachable JVM with its heap and PyTorch's memory. A kernel whose
starting process exits on purpose inside a session that adopts its processes (a desktop's systemd user manager, a
subreaper) keeps running for the clients that use its connection file, as IPython's kernel does there.

Run: /usr/bin/python3 -m unittest -v test_kernel_parent   (after environment/setup)
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

# the starting process: starts a kernel through jupyter_client (which sets JPY_PARENT_PID), prints the kernel's pid,
# and waits to be killed
STARTER = """
import sys, time
sys.path.insert(0, %r)
from kernel_client import Kernel
k = Kernel(env={"TPDIFF4J_KERNEL_WARMUP": "0"})
assert k.value("20 + 22", timeout=120) == "42"
print(k.km.provisioner.process.pid, flush=True)
time.sleep(600)
""" % os.path.dirname(os.path.abspath(__file__))

# a session manager that adopts orphans (PR_SET_CHILD_SUBREAPER, as systemd's user manager does): runs a script that
# starts a kernel, writes its connection file and exits on purpose; then the session stays until it is killed
SESSION = """
import ctypes, subprocess, sys, time
assert ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], check=True, stdout=subprocess.DEVNULL)
print("started", flush=True)
time.sleep(600)
"""
STARTER_THAT_EXITS = """
import os, sys
sys.path.insert(0, %r)
from kernel_client import kernel_manager
km, _ = kernel_manager()
km.connection_file = sys.argv[1]
km.start_kernel(env={**os.environ, "TPDIFF4J_KERNEL_WARMUP": "0"})
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
kc.stop_channels()
with open(sys.argv[1] + ".pid", "w") as f:
    f.write(str(km.provisioner.process.pid))
os._exit(0)  # on purpose, without a shutdown: the kernel is left to the clients of its connection file
""" % os.path.dirname(os.path.abspath(__file__))


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


class KernelParent(unittest.TestCase):

    def test_kernel_exits_when_its_starting_process_is_killed(self):
        starter = subprocess.Popen([sys.executable, "-c", STARTER], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        kernel = None
        try:
            line = starter.stdout.readline()
            self.assertTrue(line.strip().isdigit(), "the starter printed no kernel pid: " + line)
            kernel = int(line)
            self.assertTrue(alive(kernel))
            starter.send_signal(signal.SIGKILL)  # no shutdown_request reaches the kernel
            starter.wait(timeout=30)
            deadline = time.monotonic() + 20
            while alive(kernel) and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertFalse(alive(kernel), "the kernel outlived its starting process by 20 s")
        finally:
            if starter.poll() is None:
                starter.kill()
            if kernel is not None and alive(kernel):
                os.kill(kernel, signal.SIGKILL)

    def test_kernel_adopted_by_its_session_keeps_serving_clients_of_its_connection_file(self):
        from jupyter_client import BlockingKernelClient
        tmp = tempfile.mkdtemp(prefix="tpdiff4j-parent-")
        cf = os.path.join(tmp, "kernel.json")
        session = subprocess.Popen([sys.executable, "-c", SESSION, STARTER_THAT_EXITS, cf], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        kernel = None
        try:
            self.assertEqual(session.stdout.readline().strip(), "started", session.stderr.read() if session.poll() else "")
            with open(cf + ".pid") as f:
                kernel = int(f.read())
            time.sleep(3)  # the watch answers within a second of the starter's end
            self.assertTrue(alive(kernel), "the kernel ended with the script that started it, though its session lives")
            kc = BlockingKernelClient(connection_file=cf)
            kc.load_connection_file()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=30)
                results = []
                reply = kc.execute_interactive("20 + 22", timeout=60, output_hook=lambda m: results.append(m))
                self.assertEqual(reply["content"]["status"], "ok")
                self.assertIn("42", [m["content"]["data"]["text/plain"] for m in results
                                     if m["msg_type"] == "execute_result"])
                kc.shutdown()
            finally:
                kc.stop_channels()
            deadline = time.monotonic() + 20
            while alive(kernel) and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertFalse(alive(kernel), "a client's shutdown_request must still end the kernel")
        finally:
            session.kill()
            session.wait(timeout=30)
            if kernel is not None and alive(kernel):
                os.kill(kernel, signal.SIGKILL)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
