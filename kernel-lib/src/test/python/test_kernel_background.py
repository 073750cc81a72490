"""Background work in the tpdiff4j kernel over the real protocol: what threads, executors, CompletableFutures and
parallel streams that a cell started print, display and throw after the cell ended reaches the notebook, under that
cell or under the cell that runs then; a thread that reads System.in while no cell runs, or whose cell ends while it
waits for a line, fails with a sentence instead of reading an empty answer or holding System.in from later cells; a
kernel with non-daemon threads still running, and a shutdown hook that never returns, shuts down and restarts within
seconds.

Run: /usr/bin/python3 -m unittest -v test_kernel_background   (after environment/setup; environment/test runs it)
"""
import queue
import subprocess
import time
import unittest

from kernel_client import Kernel, OneKernelCase, drain


class KernelBackground(OneKernelCase):

    def run_cell(self, code, allow_stdin=False):
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin)
        reply, out = self.k.collect(msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        return msg_id, out

    def later(self, until, timeout=20):
        """IOPub messages (not status) that arrive after a cell's reply, until until(messages) is true."""
        msgs = []
        deadline = time.monotonic() + timeout
        while not until(msgs) and time.monotonic() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                continue
            if m["msg_type"] != "status":
                msgs.append(m)
        return msgs

    @staticmethod
    def text(msgs, parent=None, name=None):
        return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream"
                       and (parent is None or m["parent_header"].get("msg_id") == parent)
                       and (name is None or m["content"]["name"] == name))

    def test_a_thread_shows_and_updates_a_display_after_its_cell_ended(self):
        msg_id, out = self.run_cell(
            'new Thread(() -> {\n'
            '    try { Thread.sleep(600); } catch (InterruptedException e) { }\n'
            '    String id = display("first view");\n'
            '    updateDisplay(id, "second view");\n'
            '    System.out.println("shown " + id);\n'
            '}).start();')
        self.assertEqual([m for m in out if m["msg_type"] in ("display_data", "update_display_data")], [])
        msgs = self.later(lambda ms: "shown " in self.text(ms))
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        updated = [m for m in msgs if m["msg_type"] == "update_display_data"]
        self.assertEqual([m["content"]["data"]["text/plain"] for m in shown], ["first view"], msgs)
        self.assertEqual([m["content"]["data"]["text/plain"] for m in updated], ["second view"], msgs)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertEqual(updated[0]["content"]["transient"]["display_id"], display_id)
        self.assertIn("shown " + display_id, self.text(msgs))
        # under the cell that started the thread, where its printed lines go too
        for m in shown + updated:
            self.assertEqual(m["parent_header"]["msg_id"], msg_id)

    def test_output_of_background_work_after_the_cell_reaches_it_whole(self):
        code = ('var pool = java.util.concurrent.Executors.newFixedThreadPool(2);\n'
                'new Thread(() -> { try { Thread.sleep(1000); } catch (InterruptedException e) { }\n'
                '    System.out.println("thread out"); System.err.println("thread err"); }).start();\n'
                'pool.submit(() -> { Thread.sleep(1000); System.out.println("executor out"); return 1; });\n'
                'java.util.concurrent.CompletableFuture.runAsync(() -> {\n'
                '    try { Thread.sleep(1000); } catch (InterruptedException e) { }\n'
                '    System.out.println("future out"); });\n'
                'new Thread(() -> IntStream.range(0, 8).parallel().forEach(i -> {\n'
                '    try { Thread.sleep(1000); } catch (InterruptedException e) { }\n'
                '    System.out.println("parallel " + i + " " + "x".repeat(200)); })).start();\n'
                'pool.shutdown();')
        msg_id, out = self.run_cell(code)
        wanted = ["thread out", "executor out", "future out"] + ["parallel %d " % i + "x" * 200 for i in range(8)]
        # mostly after the cell's reply (a slow machine may compile the cell for longer than the threads sleep)
        msgs = out + self.later(lambda ms: all(w in self.text(out + ms).splitlines() for w in wanted)
                                and "thread err" in self.text(out + ms, name="stderr"))
        lines = self.text(msgs, parent=msg_id, name="stdout").splitlines()
        self.assertEqual(sorted(lines), sorted(wanted))  # every line whole, none lost, under the starting cell
        self.assertEqual(self.text(msgs, parent=msg_id, name="stderr"), "thread err\n")

    def test_lines_printed_while_a_later_cell_runs_go_to_that_cell(self):
        first, _ = self.run_cell('new Thread(() -> { for (int i = 0; i < 6; i++) {\n'
                                 '    try { Thread.sleep(250); } catch (InterruptedException e) { }\n'
                                 '    System.out.println("tick " + i); } }).start();')
        second, out = self.run_cell('Thread.sleep(700);\nSystem.out.println("own line");')
        later = self.later(lambda ms: "tick 5" in self.text(ms))
        during = [line for line in self.text(out, parent=second).splitlines() if line.startswith("tick")]
        after = [line for line in self.text(later, parent=second).splitlines() if line.startswith("tick")]
        self.assertIn("own line", self.text(out, parent=second))
        self.assertGreaterEqual(len(during), 1, out)  # the second cell ran 700 ms while the thread ticked every 250
        # whole lines, in order, none twice, to the end (a tick before the second cell started went to the first)
        ticks = during + after
        self.assertEqual(ticks, ["tick %d" % i for i in range(6 - len(ticks), 6)])

    def test_a_silent_request_does_not_take_the_output_of_background_work(self):
        # front ends poll with silent requests (a variable view after each cell); no front end shows their output
        first, _ = self.run_cell('new Thread(() -> { for (int i = 0; i < 6; i++) {\n'
                                 '    try { Thread.sleep(250); } catch (InterruptedException e) { }\n'
                                 '    System.out.println("beat " + i);\n'
                                 '    if (i == 4) display("figure " + i); } }).start();')
        silent = self.kc.execute("1 + 1", silent=True, store_history=False)
        reply, _ = self.k.collect(silent)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        msgs = self.later(lambda ms: "beat 5" in self.text(ms))
        self.assertIn("beat 5", self.text(msgs, parent=first), msgs)
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        self.assertEqual([m["parent_header"]["msg_id"] for m in shown], [first])

    def test_an_exception_that_ends_a_background_thread_is_reported(self):
        msg_id, out = self.run_cell(
            'var single = java.util.concurrent.Executors.newSingleThreadExecutor();\n'
            'single.execute(() -> { throw new IllegalArgumentException("executor failure"); });\n'
            'single.shutdown();\n'
            'new Thread(() -> { try { Thread.sleep(1000); } catch (InterruptedException e) { }\n'
            '    throw new IllegalStateException("late failure"); }, "late-worker").start();')
        # the executor's task may fail while the cell still runs, the thread fails after it: both under the cell
        msgs = out + self.later(lambda ms: "late failure" in self.text(out + ms))
        err = self.text(msgs, parent=msg_id, name="stderr")
        self.assertIn('Exception in thread "late-worker", which a cell started:', err)
        self.assertIn("IllegalStateException: late failure", err)
        self.assertIn("IllegalArgumentException: executor failure", err)
        self.assertEqual(self.k.value("1 + 1"), "2")

    def test_a_thread_reading_system_in_after_its_cell_ended_gets_a_sentence(self):
        msg_id, _ = self.run_cell(
            'new Thread(() -> {\n'
            '    try { Thread.sleep(400); System.out.println("read: " + new Scanner(System.in).nextLine()); }\n'
            '    catch (Exception e) { System.out.println("failed: " + e); }\n'
            '}, "late-reader").start();', allow_stdin=True)
        msgs = self.later(lambda ms: "read: " in self.text(ms) or "failed: " in self.text(ms))
        self.assertEqual(drain(self.kc.get_stdin_msg, 0.5), [])  # no question under a finished cell
        text = self.text(msgs, parent=msg_id)
        self.assertIn('failed: java.lang.IllegalStateException: thread "late-reader" read System.in while no cell '
                      'runs', text)

    def test_a_thread_waiting_for_input_when_its_cell_ends_does_not_hold_system_in(self):
        msg_id, _ = self.run_cell(
            'new Thread(() -> {\n'
            '    try { System.out.println("read: " + new Scanner(System.in).nextLine()); }\n'
            '    catch (Exception e) { System.out.println("failed: " + e); }\n'
            '}, "early-reader").start();\n'
            'Thread.sleep(500);', allow_stdin=True)
        asked = self.kc.get_stdin_msg(timeout=10)  # the thread's question went out under the running cell
        self.assertEqual(asked["parent_header"]["msg_id"], msg_id)
        # the front end does not answer a box of a cell that has ended: the thread stops waiting
        msgs = self.later(lambda ms: "failed: " in self.text(ms) or "read: " in self.text(ms))
        self.assertIn('failed: java.lang.IllegalStateException: thread "early-reader" waited for a line of '
                      'System.in when the cell it was asked under ended', self.text(msgs))
        # and a later cell reads System.in as usual
        second = self.kc.execute('new Scanner(System.in).nextLine() + "!"', allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=30)
        self.assertEqual(request["parent_header"]["msg_id"], second)
        self.kc.input("answered")
        reply, out = self.k.collect(second)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual([m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"],
                         ['answered!'])


class KernelShutdownWithThreads(unittest.TestCase):

    def test_restart_and_shutdown_do_not_wait_for_non_daemon_threads_or_a_hanging_hook(self):
        k = Kernel(heap="512m", env={"TPDIFF4J_KERNEL_WARMUP": "0"})
        try:
            code = ('for (int i = 0; i < 3; i++) {\n'
                    '    Thread t = new Thread(() -> { while (true) {\n'
                    '        try { Thread.sleep(100); } catch (InterruptedException e) { } } }, "stubborn-" + i);\n'
                    '    t.setDaemon(false); t.start(); }\n'
                    'var idlePool = java.util.concurrent.Executors.newFixedThreadPool(2);\n'
                    'idlePool.submit(() -> { Thread.sleep(600_000); return null; });\n'
                    '// a hook that waits for the pool, whose task never ends\n'
                    'Runtime.getRuntime().addShutdownHook(new Thread(() -> { try {\n'
                    '    idlePool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS); } catch (InterruptedException e) { } }));\n'
                    'Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon()).count() >= 5')
            self.assertEqual(k.value(code), "true")
            pid = k.km.provisioner.process.pid
            t0 = time.monotonic()
            k.km.restart_kernel(now=False)
            restart = time.monotonic() - t0
            # jupyter_client kills a kernel that has not ended 5 s after its shutdown request; this one ends itself
            self.assertLess(restart, 4.5)
            self.assertNotEqual(subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode, 0)
            k.kc.wait_for_ready(timeout=120)
            self.assertEqual(k.value(code), "true")
            pid = k.km.provisioner.process.pid
            t0 = time.monotonic()
            k.km.shutdown_kernel(now=False)
            self.assertLess(time.monotonic() - t0, 4.5)
            self.assertNotEqual(subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode, 0)
        finally:
            if k.km.is_alive():
                k.km.shutdown_kernel(now=True)
            k.kc.stop_channels()


if __name__ == "__main__":
    unittest.main()
