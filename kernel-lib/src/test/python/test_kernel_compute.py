"""The compute knobs hold from the kernel's start: TPDIFF4J_THREADS in the kernel's environment sets PyTorch's CPU
threads before any cell computes, and a TPDIFF4J_DEVICE that cannot be honoured is one readable sentence, shown once
(on the first cell after the engine has loaded, at the latest on the first cell that uses it) and on every library
call that needs the device, while the kernel keeps working. The engine loads in the background: a cell that does
not use it does not wait for it. Kernel -> Interrupt stops the library's training and sampling calls and the rest of
their cell, and says so.

Run: /usr/bin/python3 -m unittest -v test_kernel_compute   (after environment/setup; environment/test runs it)
"""
import os
import threading
import time
import unittest

from kernel_client import Kernel


def stderr_of(out):
    return "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")


CUDA_PROBE = "WARN CudaUtils: "


def without_cuda_probe(test, text):
    """text less DJL's warning that a CUDA runtime library is installed but no GPU can be used with it (a machine
    with the CUDA toolkit and no driver): the kernel writes it once, in whichever cell first counts the GPUs"""
    lines = text.splitlines(keepends=True)
    probe = [l for l in lines if l.startswith(CUDA_PROBE)]
    test.assertLessEqual(len(probe), 1, text)
    for l in probe:
        test.assertIn("written once per process", l)
    return "".join(l for l in lines if not l.startswith(CUDA_PROBE))


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
            content, out = k.run("20 + 22")  # runs without waiting for the engine: the note may come later
            self.assertEqual(content["status"], "ok")
            note = stderr_of(out)
            content, out = k.run("Compute.device()")  # uses the engine: waits for it, so the note is known now
            self.assertEqual(content["status"], "error")
            self.assertIn("asks for GPU 7", content["evalue"])
            note = without_cuda_probe(self, note + stderr_of(out))
            self.assertIn("TPDIFF4J_DEVICE = 'gpu:7' asks for GPU 7", note)
            self.assertIn("environment/setup --gpu", note)
            self.assertEqual(note.strip().count("\n"), 0, note)
            self.assertEqual(k.value("20 + 22"), "42")  # the kernel still works
            content, out = k.run("1 + 1")
            self.assertEqual(stderr_of(out), "", "the note is shown once")
        finally:
            k.close()

    def test_a_warning_logged_in_a_cell_is_in_its_stderr_and_the_level_comes_from_tpdiff4j_log(self):
        # DJL logs through SLF4J; the kernel's back end writes to the running cell's stderr, warnings and errors by
        # default (SLF4J without a back end dropped them all)
        code = ('var log = org.slf4j.LoggerFactory.getLogger("ai.djl.pytorch.engine.PtEngine");\n'
                'log.warn("{} threads asked", 3);\n'
                'log.info("an informational note");\n'
                'log.error("failed", new IllegalStateException("boom"));')
        for env, info_shown in (({}, False), ({"TPDIFF4J_LOG": "info"}, True)):
            k = Kernel(heap="512m", env={"TPDIFF4J_THREADS": "1", **env})
            try:
                content, out = k.run(code)
                self.assertEqual(content["status"], "ok")
                err = stderr_of(out)
                self.assertIn("WARN PtEngine: 3 threads asked\n", err)
                self.assertIn("ERROR PtEngine: failed\njava.lang.IllegalStateException: boom\n", err)
                self.assertEqual("INFO PtEngine: an informational note\n" in err, info_shown, err)
                self.assertNotIn("SLF4J", err)
                if not info_shown:  # %env changes the level at once; a value that is no level is an error
                    content, out = k.run("%env TPDIFF4J_LOG=info")
                    self.assertEqual(content["status"], "ok")
                    content, out = k.run(code)
                    self.assertIn("INFO PtEngine: an informational note\n", stderr_of(out))
                    content, out = k.run("%env TPDIFF4J_LOG=loud")
                    self.assertEqual(content["status"], "error")
                    self.assertIn("TPDIFF4J_LOG = 'loud'; allowed: a log level, off, error, warn, info, debug or "
                                  "trace", content["evalue"])
            finally:
                k.close()

    def test_trace_level_leaves_the_protocols_lines_out_of_the_cells(self):
        # the Jupyter layer logs every message it sends at trace: in a cell's output each such line was sent as a
        # message, logged again, and so on, and the kernel never answered
        k = Kernel(heap="512m", env={"TPDIFF4J_LOG": "trace", "TPDIFF4J_THREADS": "1"})
        try:
            content, out = k.run('System.out.println("hello")', timeout=30)
            self.assertEqual(content["status"], "ok")
            content, out = k.run("20 + 22", timeout=30)
            self.assertEqual(content["status"], "ok")
            self.assertNotIn("Sending to", stderr_of(out))
        finally:
            k.close()

    def test_threads_apply_after_a_first_cell_without_the_engine(self):
        # a first cell that does not use DJL runs before the engine has loaded; the knob still holds for the next
        n = str((os.cpu_count() or 1) + 2)
        k = Kernel(heap="512m", env={"TPDIFF4J_THREADS": n, "OMP_NUM_THREADS": "1"})
        try:
            self.assertEqual(k.value("Integer.toString(6 * 7).length()"), "2")
            self.assertEqual(k.value("ai.djl.pytorch.jni.JniUtils.getNumThreads()"), n)
        finally:
            k.close()

    def test_autograd_is_off_on_the_cell_thread(self):
        # The engine starts on a thread of its own while JShell starts; PyTorch keeps grad mode per thread and DJL
        # turns it off only on the engine's thread. The cell thread must be off too, or the EMA swap's in-place copy
        # into a weight that requires a gradient fails (as it did in notebooks 05-07).
        k = Kernel(heap="512m", env={"TPDIFF4J_THREADS": "1"})
        try:
            self.assertEqual(k.value("ai.djl.pytorch.jni.JniUtils.isGradMode()"), "false")
            content, out = k.run("var m = Compute.newManager();\n"
                                 "var w = m.zeros(new ai.djl.ndarray.types.Shape(2, 3));\n"
                                 "w.setRequiresGradient(true);\n"
                                 "tpdiff4j.data.Tensors.copyInto(w, new float[] {1, 2, 3, 4, 5, 6});")
            self.assertEqual(content["status"], "ok", content.get("evalue"))
            self.assertEqual(k.value("java.util.Arrays.toString(w.toFloatArray())"),
                             "[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]")
        finally:
            k.close()


class ProgressInCells(unittest.TestCase):

    def test_training_progress_in_a_cell_is_one_line_rewritten_in_place(self):
        # the kernel runs without a terminal; outside a notebook that means whole progress lines (for log files),
        # but a notebook shows "\r" as a rewrite of the line, so the kernel's cell output keeps the one line
        k = Kernel(heap="1g", env={"TPDIFF4J_THREADS": "1"})
        try:
            content, out = k.run(
                "var data = SpriteVideos.builder().withFrames(8).withSize(16).withChannels(1).build();\n"
                "try (var t = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))\n"
                "        .withConfig(TrainConfig.flowMatching(2, 8, 1).withBatchSize(2)).withData(data).build()) {\n"
                "    t.train(3);\n"
                "}", timeout=180)
            self.assertEqual(content["status"], "ok", content.get("evalue"))
            stdout = "".join(m["content"]["text"] for m in out
                             if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
            self.assertIn("\rstep 1/3", stdout)
            self.assertIn("\ndone: 3 steps", stdout)
        finally:
            k.close()


class Interrupts(unittest.TestCase):
    """Kernel -> Interrupt during the library's long calls. Training stops at a step boundary, the steps it made stay
    in the trainer and in the variable the call assigns; sampling stops before its next step and says which. Either
    way the rest of the cell does not run, the error names it, and the next cell runs as usual."""

    @classmethod
    def setUpClass(cls):
        cls.k = Kernel(heap="1g", env={"TPDIFF4J_THREADS": "1"})
        content, _ = cls.k.run(
            "import tpdiff4j.train.*; import tpdiff4j.nn.*; import tpdiff4j.data.*; import tpdiff4j.sample.*;\n"
            "import tpdiff4j.ode.Solvers; import tpdiff4j.schedule.Schedules;\n"
            "var data = SpriteVideos.builder().withFrames(8).withSize(16).withChannels(1).build();\n"
            "var trainer = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))\n"
            "    .withConfig(TrainConfig.flowMatching(2, 8, 1).withBatchSize(2)).withData(data)\n"
            "    .withProgress(false).build();\n"
            "var m = Compute.newManager();\n"
            "trainer.train(2);", timeout=180)
        assert content["status"] == "ok", content.get("evalue")

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def interrupted(self, code):
        """Runs code, interrupted after 4 s; returns the reply and the traceback the notebook shows."""
        timer = threading.Timer(4.0, self.k.km.interrupt_kernel)
        timer.start()
        t0 = time.monotonic()
        content, out = self.k.run(code, timeout=120)
        self.assertLess(time.monotonic() - t0, 60)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "CellInterrupted")
        shown = [m["content"] for m in out if m["msg_type"] == "error"]
        self.assertEqual(len(shown), 1)
        return content, "\n".join(shown[0]["traceback"])

    def test_interrupt_stops_the_training_and_the_rest_of_the_cell(self):
        before = int(self.k.value("trainer.stepCount()"))
        content, shown = self.interrupted("var r = trainer.train(1_000_000);\nint after = 1;")
        self.assertIn("line 2", content["evalue"])
        self.assertIn("at line 2 of the cell: int after = 1;", shown)
        self.assertEqual(self.k.value("r.interrupted()"), "true")
        steps = int(self.k.value("r.steps()"))
        self.assertGreater(steps, 0)
        self.assertEqual(self.k.value("trainer.stepCount()"), str(before + steps))
        content, _ = self.k.run("after")
        self.assertEqual(content["status"], "error", "the statement after the interrupted call did not run")
        # the next cell trains again: the interrupt belonged to the cell that was interrupted
        self.assertEqual(self.k.value("trainer.train(1).steps()"), "1")

    def test_interrupt_stops_a_training_whose_listener_updates_a_display_at_every_step(self):
        # notebook 05's trainers update a progress line in a listener: the socket that sends the update refuses to
        # send on an interrupted thread and cleared the flag, so the training ran on until the kernel cancelled its
        # next step, and the call never returned what it had done
        content, _ = self.k.run(
            'String line = display("waiting");\n'
            "var shown = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))\n"
            "    .withConfig(TrainConfig.flowMatching(2, 8, 1).withBatchSize(2)).withData(data).withProgress(false)\n"
            # a step of notebook 05's model takes longer than the pacing interval of display updates, so every
            # update goes out at once, from the training thread; a busy wait gives the tiny model's steps that length
            "    .withListener(p -> { long end = System.nanoTime() + 80_000_000L; while (System.nanoTime() < end) { }\n"
            "        updateDisplay(line, ProgressLine.format(p)); }).build();")
        self.assertEqual(content["status"], "ok", content.get("evalue"))
        try:
            content, shown = self.interrupted("var r = shown.train(1_000_000);\nint after = 1;")
            self.assertIn("at line 2 of the cell: int after = 1;", shown, "the call returned, at a step boundary")
            self.assertNotIn("stopped before the next step", content["evalue"])
            self.assertEqual(self.k.value("r.interrupted()"), "true")
            self.assertGreater(int(self.k.value("r.steps()")), 0)
            self.assertEqual(self.k.value("shown.train(1).steps()"), "1")
        finally:
            self.k.run("shown.close();")

    def test_an_interrupted_training_as_the_last_statement_ends_the_cell_as_interrupted(self):
        # the call returns its partial result; the cell must still fail, or Run All goes on to the cells below it
        timer = threading.Timer(4.0, self.k.km.interrupt_kernel)
        timer.start()
        content, out = self.k.run("trainer.train(1_000_000)", timeout=120)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "CellInterrupted")
        self.assertIn("at line 1, which then returned; its value, shown above,", content["evalue"])
        kinds = [m["msg_type"] for m in out if m["msg_type"] in ("display_data", "execute_result", "error")]
        self.assertEqual(kinds, ["display_data", "error"], "the partial value, then the error")
        shown = next(m for m in out if m["msg_type"] == "display_data")["content"]["data"]["text/plain"]
        self.assertRegex(shown, r"^TrainResult: \d+ steps .*, interrupted$")
        self.assertEqual(self.k.value("20 + 22"), "42")

    def test_interrupt_during_sampling_says_where_the_sampler_stopped(self):
        content, shown = self.interrupted(
            "var x = VideoSampler.pyramid(trainer.pyramid(), Solvers.euler(), 10_000, 10_000)\n"
            "    .sample(trainer.denoiser(), m, 1, data.spec(), 7);\n"
            "int after = 1;")
        self.assertRegex(content["evalue"], r"^the cell was interrupted: solver euler was interrupted before step \d+")
        self.assertIn("the statement after it (line 3) did not run", shown)
        self.assertEqual(shown.count("at line 1 of the cell"), 1, shown)
        self.assertNotIn("the same frame", shown)
        self.assertEqual(self.k.value("20 + 22"), "42")


if __name__ == "__main__":
    unittest.main()
