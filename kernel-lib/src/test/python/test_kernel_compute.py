"""The compute knobs hold from the kernel's start: TPDIFF4J_THREADS in the kernel's environment sets PyTorch's CPU
threads before the first cell, and a TPDIFF4J_DEVICE that cannot be honoured is one readable sentence on the first
cell (and on every library call that needs the device), while the kernel keeps working.

Run: /usr/bin/python3 -m unittest -v test_kernel_compute   (after environment/setup; environment/test runs it)
"""
import os
import unittest

from kernel_client import Kernel


def stderr_of(out):
    return "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")


class ComputeKnobs(unittest.TestCase):

    def test_threads_apply_from_the_first_cell(self):
        # one more than the CPUs: PyTorch's own default (at most the CPU count, or OMP_NUM_THREADS) cannot match it
        n = str((os.cpu_count() or 1) + 1)
        k = Kernel(heap="512m", env={"TPDIFF4J_THREADS": n, "OMP_NUM_THREADS": "1"})
        try:
            # the first cell only reads the count: nothing in it sets threads
            self.assertEqual(k.value("ai.djl.pytorch.jni.JniUtils.getNumThreads()"), n)
        finally:
            k.close()

    def test_a_missing_gpu_is_one_sentence_on_the_first_cell(self):
        k = Kernel(heap="512m", env={"TPDIFF4J_DEVICE": "gpu:7", "TPDIFF4J_THREADS": "1"})
        try:
            content, out = k.run("20 + 22")
            self.assertEqual(content["status"], "ok")
            note = stderr_of(out)
            self.assertIn("TPDIFF4J_DEVICE = 'gpu:7' asks for GPU 7", note)
            self.assertIn("environment/setup --gpu", note)
            self.assertEqual(note.strip().count("\n"), 0, note)
            content, out = k.run("Compute.device()")
            self.assertEqual(content["status"], "error")
            self.assertIn("asks for GPU 7", content["evalue"])
            self.assertEqual(k.value("20 + 22"), "42")  # the kernel still works
            content, out = k.run("1 + 1")
            self.assertEqual(stderr_of(out), "", "the note is shown once")
        finally:
            k.close()


if __name__ == "__main__":
    unittest.main()
