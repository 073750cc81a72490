"""Behaviour of the tpdiff4j kernel over the real protocol (jupyter_client): interrupt, System.exit, OOM, compile
errors, redefinition, display updates, streaming, the one cell thread, and a 200-cell session whose thread count
and heap stay bounded.

Run: /usr/bin/python3 -m unittest -v test_kernel_behaviour   (after environment/setup; environment/test runs it)
"""
import re
import threading
import time
import unittest

from kernel_client import Kernel

HEAP = "512m"  # small, so that the OOM test is quick; every other test fits easily


class KernelBehaviour(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.k = Kernel(heap=HEAP)

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def assert_alive(self):
        self.assertEqual(self.k.value("20 + 22"), "42")

    def error_of(self, code, timeout=60):
        content, out = self.k.run(code, timeout)
        self.assertEqual(content["status"], "error", "cell should fail: %r" % code)
        errors = [m["content"] for m in out if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        return errors[0]

    def interrupt_after(self, seconds):
        timer = threading.Timer(seconds, self.k.km.interrupt_kernel)
        timer.start()
        return timer

    def test_interrupt_sleep(self):
        t0 = time.monotonic()
        self.interrupt_after(1.0)
        err = self.error_of("Thread.sleep(60_000)", timeout=30)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(err["ename"], "CellInterrupted")
        self.assertIn("interrupted", err["evalue"])
        self.assert_alive()

    def test_interrupt_loop_that_checks(self):
        # the pattern of the library's solvers and trainers: check Thread.interrupted() every step
        code = ("for (long step = 0; ; step++) {\n"
                "    if (Thread.interrupted()) throw new InterruptedException(\"stopped at step \" + step);\n"
                "}")
        t0 = time.monotonic()
        self.interrupt_after(1.0)
        err = self.error_of(code, timeout=30)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(err["ename"], "CellInterrupted")
        self.assertIn("stopped at step", "\n".join(err["traceback"]))
        self.assert_alive()

    def test_interrupt_loop_that_ignores_it(self):
        if int(self.k.value("Runtime.version().feature()")) >= 20:
            # Thread.stop throws there: the cell would run on and hold the kernel for every later test
            self.skipTest("a JVM newer than 19 cannot stop a cell that ignores the interrupt (CellThreadTest covers "
                          "what the kernel says then)")
        t0 = time.monotonic()
        self.interrupt_after(1.0)
        err = self.error_of("long spin = 0;\nwhile (true) { spin++; }", timeout=30)
        self.assertLess(time.monotonic() - t0, 15)
        self.assertEqual(err["ename"], "CellInterrupted")
        self.assertIn("stopped", err["evalue"])
        # the cell's line, and nothing of the kernel's thread that stopped it (ThreadDeath, Thread.stop)
        tb = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in err["traceback"]]
        self.assertEqual(tb, ["CellInterrupted: the cell ignored the interrupt and was stopped",
                              "    at line 2 of the cell: while (true) { spin++; }",
                              "  the statements before it ran"])
        self.assert_alive()

    def test_system_exit_is_an_error(self):
        err = self.error_of("System.out.println(\"before\");\nSystem.exit(3);")
        self.assertEqual(err["ename"], "ExitBlocked")
        self.assertIn("System.exit(3)", err["evalue"])
        self.assertTrue(self.k.km.is_alive())
        self.assert_alive()

    def test_out_of_memory_is_reported(self):
        err = self.error_of("{ List<long[]> hog = new ArrayList<>(); while (true) hog.add(new long[1 << 20]); }",
                            timeout=120)
        self.assertEqual(err["ename"], "OutOfMemoryError")
        self.assertTrue(err["evalue"].startswith("Java heap space (the kernel is still running;"), err["evalue"])
        self.assertTrue(err["traceback"][0].startswith("\x1b[31m\x1b[1mOutOfMemoryError: Java heap space ("),
                        err["traceback"][0])
        self.assert_alive()
        # the memory came back: 100 MB can be allocated again
        self.assertEqual(self.k.value("new long[100 << 17].length"), str(100 << 17))

    def test_compile_error_shows_message_and_line(self):
        err = self.error_of("int a = 1;\nint b = 2;\nint c = a + undefinedThing;\nint d = 4;")
        self.assertEqual(err["ename"], "CompileError")
        self.assertIn("cannot find symbol", err["evalue"])
        tb = "\n".join(err["traceback"])
        self.assertIn("line 3", tb)
        self.assertIn("int c = a + undefinedThing;", tb)
        self.assertIn("the statement after it (line 4) did not run; the ones before it did", tb)
        # the first two snippets ran before the failing one
        self.assertEqual(self.k.value("a + b"), "3")

    def test_exception_names_its_line_and_what_did_not_run(self):
        err = self.error_of("int e1 = 10;\nint e2 = e1 / 0;\nint e3 = 5;\nint e4 = 6;")
        self.assertEqual(err["ename"], "ArithmeticException")
        tb = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in err["traceback"]]
        self.assertIn("    at line 2 of the cell: int e2 = e1 / 0;", tb)
        self.assertEqual(tb[-1], "  the cell stopped there: the 2 statements after it (lines 3-4) did not run; "
                                 "the ones before it did")
        self.assertEqual(self.k.value("e1"), "10")

    def test_exception_shows_type_message_and_cell_frames(self):
        self.k.run("void check(int n) { if (n < 0) throw new IllegalArgumentException(\"n = \" + n + \" must be >= 0\"); }")
        err = self.error_of("check(-2)")
        self.assertEqual(err["ename"], "IllegalArgumentException")
        self.assertEqual(err["evalue"], "n = -2 must be >= 0")
        tb = "\n".join(err["traceback"])
        self.assertIn("check(...), declared in a cell", tb)
        self.assertNotIn("jdk.jshell", tb)
        self.assertNotIn("jdk.internal.reflect", tb)

    def test_closing_system_out_keeps_the_notebooks_output(self):
        content, out = self.k.run('try (var w = new java.io.PrintWriter(System.out)) { w.println("via writer"); }\n'
                                  'System.err.close();\nSystem.out.println("after close");\nSystem.err.println("err too");')
        self.assertEqual(content["status"], "ok")
        text = {n: "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream" and m["content"]["name"] == n)
                for n in ("stdout", "stderr")}
        self.assertEqual(text["stdout"], "via writer\nafter close\n")
        self.assertTrue(text["stderr"].endswith("err too\n"), text["stderr"])  # after a warning of the engine's start
        content, out = self.k.run('System.out.println("next cell");')
        self.assertEqual([m["content"]["text"] for m in out if m["msg_type"] == "stream"], ["next cell\n"])

    def test_redefinition(self):
        self.k.run("int f(int x) { return x + 1; }")
        self.assertEqual(self.k.value("f(1)"), "2")
        self.k.run("int f(int x) { return x * 10; }")
        self.assertEqual(self.k.value("f(1)"), "10")
        self.k.run("class P { int v() { return 1; } }")
        self.assertEqual(self.k.value("new P().v()"), "1")
        self.k.run("class P { int v() { return 2; } }")
        self.assertEqual(self.k.value("new P().v()"), "2")
        self.k.run("String s = \"a\";")
        self.k.run("int s = 3;")
        self.assertEqual(self.k.value("s + 1"), "4")

    def test_empty_and_comment_cells(self):
        for code in ["", "   \n\n", "// just a comment", "/* block */\n// and line"]:
            content, out = self.k.run(code)
            self.assertEqual(content["status"], "ok", code)
            self.assertEqual([m for m in out if m["msg_type"] in ("execute_result", "error")], [], code)

    def test_trailing_semicolon_hides_the_value(self):
        self.assertEqual(self.k.value("List<Integer> xs = new ArrayList<>();\nxs.add(3)"), "true")
        self.assertIsNone(self.k.value("xs.add(4);"))

    def test_display_and_update(self):
        content, out = self.k.run('String id = display("first");')
        self.assertEqual(content["status"], "ok")
        shown = [m for m in out if m["msg_type"] == "display_data"]
        self.assertEqual(len(shown), 1)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertEqual(shown[0]["content"]["data"]["text/plain"], "first")
        content, out = self.k.run('updateDisplay(id, "second");')
        self.assertEqual(content["status"], "ok")
        updates = [m for m in out if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(updates), 1)
        self.assertEqual(updates[0]["content"]["transient"]["display_id"], display_id)
        self.assertEqual(updates[0]["content"]["data"]["text/plain"], "second")
        # an id display never returned: the front end would drop the update silently, so the call is refused
        content, out = self.k.run('updateDisplay("fig", "third");')
        self.assertEqual((content["status"], content["ename"]), ("error", "IllegalArgumentException"))
        self.assertIn("displayId = 'fig'; allowed: an id that display(...) returned in this kernel session", content["evalue"])
        self.assertEqual([m for m in out if m["msg_type"] == "update_display_data"], [])

    def test_display_as_the_last_line_shows_the_value_and_no_id(self):
        """display(x) without a semicolon shows x and nothing more, as IPython's display(); a last line that names the
        id (a variable) shows it, and a later cell can still update the display."""
        content, out = self.k.run('display("shown once")')
        self.assertEqual(content["status"], "ok")
        self.assertEqual([(m["msg_type"], m["content"]["data"]["text/plain"]) for m in out
                          if m["msg_type"] in ("display_data", "execute_result")], [("display_data", "shown once")])
        content, out = self.k.run('String shown(Object o) { return display(o); }\nshown(7)')
        self.assertEqual([m["msg_type"] for m in out if m["msg_type"] in ("display_data", "execute_result")],
                         ["display_data"], "a method of the cell's that returns display's id")
        content, out = self.k.run('String kept = display("kept");\nkept')
        shown = [m for m in out if m["msg_type"] == "display_data"]
        display_id = shown[0]["content"]["transient"]["display_id"]
        results = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]
        self.assertEqual(results, [display_id], "the variable named as the last line shows its id")
        self.assertIn(display_id, self.k.value("kept"), "and so in a later cell")
        content, out = self.k.run('updateDisplay(kept, "updated")')
        self.assertEqual([(m["msg_type"], m["content"]["transient"]["display_id"]) for m in out
                          if m["msg_type"] != "stream"], [("update_display_data", display_id)])

    def test_a_loop_of_updates_is_paced_and_its_last_update_arrives(self):
        """20,000 updates of one display in a tight loop: sent one by one they pass the Notebook server's 1,000
        messages a second (which then drops them, the last one included) and keep the page busy for minutes."""
        t0 = time.monotonic()
        content, out = self.k.run('String loop = display("step 0");\n'
                                  'for (int i = 1; i <= 20000; i++) updateDisplay(loop, "step " + i);')
        seconds = time.monotonic() - t0
        self.assertEqual(content["status"], "ok")
        updates = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "update_display_data"]
        self.assertEqual(updates[-1], "step 20000")
        self.assertLessEqual(len(updates), 2 + seconds * 1000 / 50, "at most one update per 50 ms: %d" % len(updates))

    def test_a_loop_that_clears_and_prints_is_paced_and_its_last_line_arrives(self):
        """clearOutput(true) and a println at every step of a fast loop: one message each would pass the IOPub limits
        (the reply and the idle status themselves were dropped); the latest line goes out at a pace instead."""
        t0 = time.monotonic()
        content, out = self.k.run('for (int i = 1; i <= 20000; i++) {\n'
                                  '    clearOutput(true);\n    System.out.println("step " + i);\n}')
        seconds = time.monotonic() - t0
        self.assertEqual(content["status"], "ok")
        self.assertLessEqual(len(out), 4 + 2 * seconds * 1000 / 50, [m["msg_type"] for m in out][:20])
        self.assertEqual(out[-1]["msg_type"], "stream")
        self.assertEqual(out[-1]["content"]["text"], "step 20000\n")
        self.assertEqual(out[0]["msg_type"], "clear_output")

    def test_stdout_is_streamed_while_the_cell_runs(self):
        msg_id = self.k.submit('System.out.println("early");\nThread.sleep(1500);\nSystem.out.println("late");')
        t_early = None
        while t_early is None:  # read iopub while the cell still sleeps
            m = self.k.kc.get_iopub_msg(timeout=30)
            if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream"
                    and "early" in m["content"]["text"]):
                t_early = time.monotonic()
        reply, out = self.k.collect(msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("late", "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream"))
        # "early" reached the client at least 1 s before the reply: it was sent while the cell ran
        self.assertGreater(reply["received"] - t_early, 1.0)

    def test_one_cell_thread(self):
        first = self.k.value("Thread.currentThread().getName()")
        second = self.k.value("Thread.currentThread().getName()")
        self.assertEqual(first, second)
        self.assertEqual(first, "tpdiff4j-cell")

    def test_magics(self):
        content, out = self.k.run("%env TPDIFF4J_QUICK=1\nKnobs.quick()")
        self.assertEqual(content["status"], "ok")
        self.assertEqual([m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"],
                         ["true"])
        content, out = self.k.run("%%time\nThread.sleep(200);\n6 * 7")
        text = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertIn("Wall time:", text)
        self.assertEqual([m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"],
                         ["42"])
        err = self.error_of("%nosuchmagic")
        self.assertIn("line magic = '%nosuchmagic'; allowed: a known magic, %classpath", err["evalue"])

    def test_200_cells_keep_threads_and_heap_bounded(self):
        probe = ("{ System.gc(); Thread.sleep(100); System.gc(); }\n"
                 "var rt = Runtime.getRuntime();\n"
                 "java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount() + \" \" "
                 "+ (rt.totalMemory() - rt.freeMemory())")

        def sample():
            threads, heap = self.k.value(probe).strip('"').split()
            return int(threads), int(heap)

        kinds = [
            "int v{i} = {i};",
            "v{j} * 2",
            "String s{i} = \"cell\" + {i};",
            "System.out.println(\"line \" + {i});",
            "double m{i}(double x) {{ return x * {i}; }}",
            "display(\"d\" + {i});",
            "List<Integer> l{i} = IntStream.range(0, {i}).boxed().collect(Collectors.toList());",
            "new int[{i}].length",
        ]
        for i in range(10):
            code = kinds[i % len(kinds)].format(i=i, j=i - 1)
            self.assertEqual(self.k.run(code)[0]["status"], "ok", code)
        threads0, heap0 = sample()
        for i in range(10, 210):
            code = kinds[i % len(kinds)].format(i=i, j=i - 1)
            self.assertEqual(self.k.run(code)[0]["status"], "ok", code)
        threads1, heap1 = sample()
        # bounds: no thread per cell (at most 2 transient JVM threads), and less than 48 MB of heap for
        # 200 cells of JShell state (snippets, their classes' statics, history)
        self.assertLessEqual(threads1, threads0 + 2, (threads0, threads1))
        self.assertLess(heap1 - heap0, 48 << 20, (heap0, heap1))
        print("\n200 cells: threads %d -> %d, heap after GC %.1f MB -> %.1f MB"
              % (threads0, threads1, heap0 / 2**20, heap1 / 2**20))



class InterruptWhileStarting(unittest.TestCase):
    """An interrupt that arrives while the first cell waits for JShell to start (about half a second after the kernel
    says it is ready) ends that cell; it used to be lost, and a first cell that never checks the interrupt ran on."""

    def test_interrupt_before_the_first_cell_starts(self):
        k = Kernel(heap=HEAP)
        try:
            t0 = time.monotonic()
            msg_id = k.submit("long spun = 0;\nwhile (true) { spun++; }")
            # interrupt once the kernel says it runs the request (what a front end's button reacts to): the kernel
            # polls its sockets every 50 ms, so an interrupt sent a fixed time after the request could be read
            # first, while the kernel is idle, where it stops nothing
            while True:
                m = k.kc.get_iopub_msg(timeout=30)
                if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                        and m["content"]["execution_state"] == "busy"):
                    break
            k.km.interrupt_kernel()
            reply, out = k.collect(msg_id, timeout=30)
            self.assertLess(time.monotonic() - t0, 20)
            self.assertEqual(reply["content"]["status"], "error")
            errors = [m["content"] for m in out if m["msg_type"] == "error"]
            self.assertEqual(errors[0]["ename"], "CellInterrupted")
            self.assertEqual(k.value("20 + 22"), "42")
        finally:
            k.close()


class RestartKeepsNothing(unittest.TestCase):
    """After Kernel -> Restart, a cell from the middle of a notebook that uses a helper or a variable of an earlier
    cell fails to compile; the error says to run the declaring cell first, instead of a bare 'cannot find symbol'."""

    def test_a_name_of_the_earlier_run_says_to_run_its_cell_again(self):
        k = Kernel(heap=HEAP)
        try:
            content, _ = k.run("java.util.List<Double> lossesSoFar = new java.util.ArrayList<>();\n"
                               "void needTrainingFirst() { }")
            self.assertEqual(content["status"], "ok")
            k.km.restart_kernel(now=True)
            k.kc.wait_for_ready(timeout=120)
            content, out = k.run("needTrainingFirst();\nint n = lossesSoFar.size();")
            self.assertEqual(content["status"], "error")
            tb = "\n".join(line for m in out if m["msg_type"] == "error" for line in m["content"]["traceback"])
            self.assertIn("cannot find symbol", tb)
            self.assertIn("no cell run in this kernel declares needTrainingFirst: run the cell that declares it"
                          " first (after a restart", tb)
        finally:
            k.close()


if __name__ == "__main__":
    unittest.main()
