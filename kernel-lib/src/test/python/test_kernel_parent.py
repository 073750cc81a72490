"""A kernel whose starting process is killed (a Notebook server or nbconvert that crashed, or was ended with SIGKILL)
exits by itself instead of staying behind as an unreachable JVM with its heap and PyTorch's memory.

Run: /usr/bin/python3 -m unittest -v test_kernel_parent   (after environment/setup)
"""
import os
import signal
import subprocess
import sys
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


if __name__ == "__main__":
    unittest.main()
