"""Protocol details of the tpdiff4j kernel that a user of IPython expects to work the same: System.in read through
input requests (allow_stdin true), a clear error where the front end takes no input (allow_stdin false), and
input that still works after a cell waiting for it was interrupted; Runtime.halt refused under its own name; silent and store_history false requests that keep the execution count
and the history as IPython does; clearOutput; the status of comm_info, interrupt and shutdown replies; a history range without a stop; exit and quit,
which ask the front end to leave as IPython's do.

Run: /usr/bin/python3 -m unittest -v test_kernel_protocol   (after environment/setup; environment/test runs it)
"""
import queue
import time
import unittest

from kernel_client import Kernel, OneKernelCase, drain


class KernelProtocol(OneKernelCase):

    def answer_inputs(self, msg_id, answers, timeout=60):
        """Answers each input request of msg_id in turn; returns (reply content, iopub messages, input requests)."""
        requests = []
        for a in answers:
            m = self.kc.get_stdin_msg(timeout=timeout)
            self.assertEqual(m["msg_type"], "input_request")
            self.assertEqual(m["parent_header"]["msg_id"], msg_id)
            requests.append(m)
            self.kc.input(a)
        reply, out = self.k.collect(msg_id, timeout)
        return reply["content"], out, requests

    def test_reading_system_in_asks_the_front_end(self):
        code = ('var in1 = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));\n'
                'String name = null;\n'
                '{ System.out.print("name? "); name = in1.readLine(); }\n'
                'Scanner sc1 = new Scanner(System.in);\n'
                'int a = sc1.nextInt(), b = sc1.nextInt();\n'
                '"hello " + name + ", " + (a + b)')
        msg_id = self.kc.execute(code, allow_stdin=True)
        content, out, requests = self.answer_inputs(msg_id, ["Ada Lovelace ü", "20", "22"])
        self.assertEqual(content["status"], "ok", content)
        results = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]
        self.assertEqual(results, ["hello Ada Lovelace ü, 42"])
        # the prompt the cell printed reaches the notebook (CellInputTest checks that it is sent before the request)
        prompt = [m for m in out if m["msg_type"] == "stream" and "name? " in m["content"]["text"]]
        self.assertEqual(len(prompt), 1)
        self.assertEqual(len(requests), 3)

    def test_no_stdin_is_a_clear_error_not_an_empty_answer(self):
        for code in ("new Scanner(System.in).nextLine()", "System.in.read()"):
            msg_id = self.kc.execute(code, allow_stdin=False)
            reply, out = self.k.collect(msg_id, 60)
            content = reply["content"]
            self.assertEqual(content["status"], "error", "%s read nothing and went on: %s" % (code, out))
            self.assertEqual(content["ename"], "UnsupportedOperationException")
            self.assertIn("allow_stdin", content["evalue"])
            self.assertRaises(queue.Empty, self.kc.get_stdin_msg, timeout=0.2)

    def test_input_works_again_after_an_interrupted_wait_for_input(self):
        msg_id = self.kc.execute('int before1 = 1;\nString w1 = new Scanner(System.in).nextLine();\nint after1 = 2;',
                                 allow_stdin=True)
        self.assertEqual(self.kc.get_stdin_msg(timeout=60)["msg_type"], "input_request")
        time.sleep(0.3)
        self.k.km.interrupt_kernel()
        reply, out = self.k.collect(msg_id, 30)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("interrupted", reply["content"]["evalue"])
        self.assertEqual(self.k.value("before1"), "1")
        # the front end's box of the interrupted cell is answered late: that answer must not count for the next one
        self.kc.input("late answer")
        time.sleep(0.3)
        for expected in ("fresh answer", "second fresh answer"):
            msg_id = self.kc.execute("new Scanner(System.in).nextLine()", allow_stdin=True)
            content, out, _ = self.answer_inputs(msg_id, [expected])
            self.assertEqual(content["status"], "ok", content)
            results = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]
            self.assertEqual(results, [expected])

    def test_an_interrupted_wait_for_input_is_one_clear_error_and_names_the_spent_scanner(self):
        msg_id = self.kc.execute('Scanner sc9 = new Scanner(System.in);\nSystem.out.print("steps? ");\n'
                                 'int steps9 = sc9.nextInt();\nint after9 = 1;', allow_stdin=True)
        self.assertEqual(self.kc.get_stdin_msg(timeout=60)["msg_type"], "input_request")
        time.sleep(0.3)
        self.k.km.interrupt_kernel()
        reply, out = self.k.collect(msg_id, 30)
        content = reply["content"]
        self.assertEqual((content["status"], content["ename"]), ("error", "CellInterrupted"))
        self.assertIn("interrupted while it waited for a line of input (System.in)", content["evalue"])
        self.assertIn("sc9 is such a Scanner now: make a new one (sc9 = new Scanner(System.in);)", content["evalue"])
        errors = [m["content"] for m in out if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        trace = "\n".join(errors[0]["traceback"])
        self.assertNotIn("NoSuchElementException", trace)
        self.assertNotIn("Caused by", trace)
        self.assertIn("at line 3 of the cell: int steps9 = sc9.nextInt();", trace)
        # the spent Scanner fails at once in a later cell, asking nothing: a note says why
        content, out = self.k.run("sc9.nextLine()")
        self.assertEqual(content["ename"], "NoSuchElementException")
        self.assertRaises(queue.Empty, self.kc.get_stdin_msg, timeout=0.2)
        notes = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertIn("note: sc9 is a Scanner whose read of System.in was interrupted", notes)
        msg_id = self.kc.execute("sc9 = new Scanner(System.in);\nsc9.nextInt() * 2", allow_stdin=True)
        content, out, _ = self.answer_inputs(msg_id, ["21"])
        self.assertEqual([m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"],
                         ["42"])

    def test_runtime_halt_is_named_as_the_call_the_cell_made(self):
        content, _ = self.k.run("Runtime.getRuntime().halt(4)")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "ExitBlocked")
        self.assertIn("Runtime.halt(4) was called", content["evalue"])
        # a terminal has no Kernel menu: the message also says how a jupyter console session ends
        self.assertIn("in jupyter console, type exit", content["evalue"])
        self.assertTrue(self.k.km.is_alive())
        self.assertEqual(self.k.value("6 * 7"), "42")

    def test_the_error_reply_and_the_error_output_name_the_cells_classes_as_the_cell_wrote_them(self):
        self.k.run("class MyException extends RuntimeException { MyException(String m) { super(m); } }\n"
                   "class Outer { static class Inner extends Exception { Inner(String m) { super(m); } } }\n"
                   "String nothing = null;")
        cases = [  # cell, ename, evalue
            ('throw new MyException("boom")', "MyException", "boom"),
            ('Runnable r = () -> { throw new MyException("from a lambda"); };\nr.run();', "MyException",
             "from a lambda"),
            ('throw new Outer.Inner("nested")', "Outer.Inner", "nested"),
            ('throw new IllegalStateException(new Outer.Inner("inside"))', "IllegalStateException",
             "Outer.Inner: inside"),
            ('throw new RuntimeException("anonymous") {}', "RuntimeException", "anonymous"),
            ("nothing.length()", "NullPointerException",
             'Cannot invoke "String.length()" because "nothing" is null'),
            # Java's own trace (Throwable.toString) shows the localized message: the headline and evalue agree
            ('class Localized extends RuntimeException { public String getLocalizedMessage() { return "in words"; } }'
             '\nthrow new Localized()', "Localized", "in words"),
        ]
        for code, ename, evalue in cases:
            msg_id = self.kc.execute(code)
            reply, out = self.k.collect(msg_id)
            errors = [m["content"] for m in out if m["msg_type"] == "error"]
            self.assertEqual(len(errors), 1, code)
            for where in (reply["content"], errors[0]):
                self.assertEqual((where["ename"], where["evalue"]), (ename, evalue), code)
                # nbconvert's CellExecutionError shows the reply's traceback: the same readable one, no JVM frames
                self.assertEqual(where["traceback"], errors[0]["traceback"], code)
                self.assertNotIn("JShell", "\n".join(where["traceback"]), code)
            self.assertIn(ename + ": " + evalue, errors[0]["traceback"][0], code)

    def test_user_expressions_are_evaluated_after_the_cell_and_returned_in_the_reply(self):
        # front ends that poll values (a variable view) send them with a silent request; the spec's reply holds a
        # result per name: a mime bundle, or the error of that expression alone
        asked = {"sum": "ue + 22", "text": '"ue=" + ue', "missing": "ue_nowhere + 1",
                 "fails": 'Integer.parseInt("x" + ue)', "oom": "new long[Integer.MAX_VALUE - 8].length"}
        for silent in (False, True):
            msg_id = self.kc.execute("int ue = 20;", silent=silent, user_expressions=asked)
            reply, out = self.k.collect(msg_id)
            content = reply["content"]
            self.assertEqual(content["status"], "ok", silent)
            got = content["user_expressions"]
            self.assertEqual(sorted(got), sorted(asked), silent)
            self.assertEqual(got["sum"], {"status": "ok", "data": {"text/plain": "42"}, "metadata": {}}, silent)
            self.assertEqual(got["text"]["data"]["text/plain"], "ue=20", silent)  # as a cell shows it
            self.assertEqual(got["missing"]["status"], "error", silent)
            self.assertEqual(got["missing"]["ename"], "CompileError", silent)
            self.assertIn("ue_nowhere", "\n".join(got["missing"]["traceback"]), silent)
            self.assertEqual((got["fails"]["status"], got["fails"]["ename"], got["fails"]["evalue"]),
                             ("error", "NumberFormatException", 'For input string: "x20"'), silent)
            self.assertTrue(got["fails"]["traceback"], silent)
            self.assertEqual((got["oom"]["status"], got["oom"]["ename"]), ("error", "OutOfMemoryError"), silent)
            self.assertIn("the kernel is still running", got["oom"]["evalue"], silent)
            self.assertNotIn("error", [m["msg_type"] for m in out], "an expression's error is the reply's only")
        # the expressions are not cells: the count and the history do not see them
        n = self.k.run("ue")[0]["execution_count"]
        msg_id = self.kc.execute("ue", user_expressions={"a": "ue * 2"})
        reply, _ = self.k.collect(msg_id)
        self.assertEqual(reply["content"]["execution_count"], n + 1)
        self.assertEqual(reply["content"]["user_expressions"]["a"]["data"]["text/plain"], "40")
        self.assertEqual(self.k.run("ue")[0]["execution_count"], n + 2)

    def test_an_error_aborts_the_cells_queued_behind_it(self):
        # Run All sends every cell at once with stop_on_error true: after a failing cell, the cells queued behind it
        # are answered "aborted" without running, as in IPython, instead of running on a state the failure left
        n = self.k.run("int qa = 1;")[0]["execution_count"]
        first = self.kc.execute('Thread.sleep(800);\nthrow new IllegalStateException("stop here");')
        second = self.kc.execute("qa = 2;")
        third = self.kc.execute("qa = 3;", stop_on_error=False)
        r1, _ = self.k.collect(first)
        self.assertEqual((r1["content"]["status"], r1["content"].get("execution_count")), ("error", n + 1), r1)
        for msg_id in (second, third):
            reply, out = self.k.collect(msg_id)
            self.assertEqual(reply["content"]["status"], "aborted")
            self.assertEqual(out, [], "an aborted cell shows nothing")
        self.assertEqual(self.k.value("qa"), "1", "the queued cells did not run")
        content, _ = self.k.run("qa + 0")
        self.assertEqual(content["execution_count"], n + 3, "aborted cells take no number")
        # a cell sent after the error's reply runs; a failure with stop_on_error false lets the queue run on
        self.assertEqual(self.k.value("qa = 4"), "4")
        first = self.kc.execute('Thread.sleep(800);\nthrow new IllegalStateException("go on");', stop_on_error=False)
        second = self.kc.execute("qa = 5;")
        self.assertEqual(self.k.collect(first)[0]["content"]["status"], "error")
        self.assertEqual(self.k.collect(second)[0]["content"]["status"], "ok")
        self.assertEqual(self.k.value("qa"), "5")

    def test_an_error_aborts_the_cells_queued_while_it_waited(self):
        # cells queued during a long cell: the cell that fails waited behind it, and a cell sent after that one but
        # before its failure waited too, so it is aborted although the failed cell itself ran only a moment
        self.k.run("int qw = 1;")
        long_cell = self.kc.execute("Thread.sleep(1500);")
        failing = self.kc.execute('throw new IllegalStateException("stop here");')
        time.sleep(0.5)
        queued = self.kc.execute("qw = 2;")
        self.assertEqual(self.k.collect(long_cell)[0]["content"]["status"], "ok")
        self.assertEqual(self.k.collect(failing)[0]["content"]["status"], "error")
        reply, out = self.k.collect(queued)
        self.assertEqual(reply["content"]["status"], "aborted")
        self.assertEqual(out, [])
        self.assertEqual(self.k.value("qw"), "1", "the queued cell did not run")
        # sent after the error came back, a cell runs
        self.assertEqual(self.k.value("qw = 3"), "3")

    def test_silent_and_unstored_requests_leave_the_count_and_history_alone(self):
        content, _ = self.k.run("int sv = 5;")
        n = content["execution_count"]
        msg_id = self.kc.execute('System.out.println("quiet " + sv);\nsv * 2', silent=True)
        reply, out = self.k.collect(msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(reply["content"]["execution_count"], n)
        kinds = [m["msg_type"] for m in out]
        self.assertNotIn("execute_result", kinds)  # collect() leaves execute_input out; check it on its own below
        self.assertEqual("".join(m["content"]["text"] for m in out if m["msg_type"] == "stream"), "quiet 5\n")
        msg_id = self.kc.execute("sv + 1", store_history=False)
        reply, out = self.k.collect(msg_id)
        self.assertEqual(reply["content"]["execution_count"], n)
        self.assertEqual([m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"],
                         ["6"])
        msg_id = self.kc.execute("sv +", silent=True)
        reply, _ = self.k.collect(msg_id)
        self.assertEqual((reply["content"]["status"], reply["content"]["execution_count"]), ("error", n))
        content, _ = self.k.run("sv")
        self.assertEqual(content["execution_count"], n + 1, "the user's next cell must follow on without a gap")
        msg_id = self.kc.history(hist_access_type="tail", n=50, output=False, raw=True)
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        history = reply["content"]["history"]
        inputs = [entry[2] for entry in history]
        self.assertIn("int sv = 5;", inputs)
        for polled in ('System.out.println("quiet " + sv);\nsv * 2', "sv + 1", "sv +"):
            self.assertNotIn(polled, inputs)
        self.assertEqual([entry[1] for entry in history if entry[2] == "sv"], [n + 1])

    def history(self, **request):
        msg_id = self.kc.history(raw=True, output=False, **request)
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        return reply["content"]["history"]

    def is_complete(self, code):
        msg_id = self.kc.is_complete(code)
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        return reply["content"]["status"], reply["content"].get("indent", "")

    def test_is_complete_tells_a_console_when_enter_runs_the_cell(self):
        cases = [
            ("int x = 1;", ("complete", "")),
            ("class A {", ("incomplete", "    ")),
            ("void f() {\n  int y = 2;", ("incomplete", "  ")),
            ('String s = """\n  hello', ("incomplete", "  ")),
            ('String s = """\n  hello\n  """;', ("complete", "")),
            ("x +", ("incomplete", "")),
            ("/* open", ("incomplete", "")),
            ('"abc', ("invalid", "")),  # a Java string cannot span lines: Enter runs it and shows the error
            ("%time 1 + 1", ("complete", "")),
            ("%maven org.apache.commons:commons-lang3:3.17.0\nclass B {", ("incomplete", "    ")),
            # a cell magic takes every line up to an empty one, as in IPython: its body is not Java to judge
            ("%%time", ("incomplete", "")),
            ("%%time\ndouble acc = 0;", ("incomplete", "")),
            ("%%html\n<b>bold</b>", ("incomplete", "")),
            ("%%time\ndouble acc = 0;\nacc\n", ("complete", "")),
            ("%%html\n<b>bold</b>\n  ", ("complete", "")),
            ("exit", ("complete", "")),
        ]
        self.assertEqual([(code, self.is_complete(code)) for code, _ in cases], cases)

    def test_a_history_range_without_a_stop_runs_to_the_last_cell(self):
        first = self.k.run("int hr = 1;")[0]["execution_count"]
        self.k.run("hr + 1")
        last = self.k.run("hr + 2")[0]["execution_count"]
        numbers = lambda h: [entry[1] for entry in h]
        # IPython's stop=None (jupyter console's ZMQHistoryManager.get_range sends it) and a missing stop: to the end
        self.assertEqual(numbers(self.history(hist_access_type="range", session=0, start=first, stop=None)),
                         list(range(first, last + 1)))
        self.assertEqual(numbers(self.history(hist_access_type="range", session=0, start=first + 1)),
                         list(range(first + 1, last + 1)))
        # a stop is exclusive, as in IPython
        self.assertEqual(numbers(self.history(hist_access_type="range", session=0, start=first, stop=last)),
                         list(range(first, last)))

    def test_exit_and_quit_ask_the_front_end_to_leave_unless_the_session_declares_them(self):
        ask_exit = [{"source": "ask_exit", "keepkernel": False}]
        for code in ("exit", "quit", "exit()", " quit(); ", "/exit"):
            before = self.k.run("0")[0]["execution_count"]
            msg_id = self.kc.execute(code)
            reply, out = self.k.collect(msg_id)
            content = reply["content"]
            self.assertEqual(content["status"], "ok", "%r: %s" % (code, content))
            self.assertEqual(content.get("payload"), ask_exit, code)
            self.assertEqual(content["execution_count"], before + 1, code)
            text = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
            self.assertIn("asked the front end to end this session", text, code)
            self.assertNotIn("error", [m["msg_type"] for m in out], code)
            self.assertEqual(self.history(hist_access_type="tail", n=1), [[1, before + 1, code]])
        self.assertTrue(self.k.km.is_alive(), "the kernel leaves the ending to the front end")
        self.assertEqual(self.k.value("6 * 7"), "42")
        # a name the session declares is Java again: the cell shows the variable, calls the method
        self.k.run("int exit = 5;")
        self.k.run("String quit() { return \"no\"; }")
        for code, value in (("exit", "5"), ("exit;", None), ("quit()", "no")):
            content, out = self.k.run(code)
            self.assertEqual(content["status"], "ok", "%r: %s" % (code, content))
            self.assertNotIn("payload", [k for k in content if content[k]], code)
            results = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]
            self.assertEqual(results, [value] if value else [], code)
        # silent requests (tools polling the session) never ask the front end to leave
        msg_id = self.kc.execute("quit", silent=True)
        reply, _ = self.k.collect(msg_id)
        self.assertFalse(reply["content"].get("payload"))

    def test_a_silent_request_sends_no_execute_input_and_no_result(self):
        msg_id = self.kc.execute("1 + 1", silent=True)
        seen = []
        while not seen or seen[-1] != ("status", "idle"):
            m = self.kc.get_iopub_msg(timeout=30)
            if m["parent_header"].get("msg_id") == msg_id:
                seen.append((m["msg_type"], m["content"].get("execution_state")))
        self.assertEqual(seen, [("status", "busy"), ("status", "idle")])
        drain(self.kc.get_shell_msg, 0.2)
    def test_clear_output_clears_what_was_printed_before_it(self):
        content, out = self.k.run('System.out.println("epoch 1");\nclearOutput();\nSystem.out.println("epoch 2");\n'
                                  'clearOutput(true);\nSystem.out.print("epoch 3");')
        self.assertEqual(content["status"], "ok", content)
        seen = [(m["msg_type"], m["content"].get("text", m["content"].get("wait"))) for m in out]
        self.assertEqual(seen, [("stream", "epoch 1\n"), ("clear_output", False), ("stream", "epoch 2\n"),
                                ("clear_output", True), ("stream", "epoch 3")])

    def complete(self, code, cursor):
        msg_id = self.kc.complete(code, cursor)
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        return reply["content"]

    def test_tab_after_a_percent_sign_offers_the_magics(self):
        c = self.complete("%mav", 4)
        self.assertEqual((c["matches"], c["cursor_start"], c["cursor_end"]), (["%maven", "%mavenRepo"], 0, 4))
        c = self.complete("int m1 = 1;\n%ti", 15)
        self.assertEqual((c["matches"], c["cursor_start"]), (["%time"], 12))
        c = self.complete("%time\nMath.ma", 13)
        self.assertEqual(c["matches"], ["max("], "Java below a magic still completes as Java")

    def control(self, msg_type, content):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.control_channel.send(msg)
        while True:
            reply = self.kc.get_control_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply

    def test_every_reply_has_a_status(self):
        for target in (None, "jupyter.widget"):
            msg_id = self.kc.comm_info(target_name=target)
            reply = self.kc.get_shell_msg(timeout=30)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = self.kc.get_shell_msg(timeout=30)
            self.assertEqual(reply["msg_type"], "comm_info_reply")
            self.assertEqual(reply["content"], {"status": "ok", "comms": {}})
        reply = self.control("interrupt_request", {})
        self.assertEqual(reply["content"], {"status": "ok"})
        self.assertEqual(self.k.value("6 * 7"), "42")


class KernelShutdown(unittest.TestCase):

    def test_shutdown_reply_has_a_status_and_the_process_ends(self):
        k = Kernel(heap="512m", env={"TPDIFF4J_KERNEL_WARMUP": "0"})
        try:
            msg = k.kc.session.msg("shutdown_request", {"restart": True})
            k.kc.control_channel.send(msg)
            reply = k.kc.get_control_msg(timeout=30)
            self.assertEqual(reply["msg_type"], "shutdown_reply")
            self.assertEqual(reply["content"], {"status": "ok", "restart": True})
            deadline = time.monotonic() + 30
            while k.km.is_alive() and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertFalse(k.km.is_alive(), "the kernel process must end; the manager starts a new one")
        finally:
            k.close()


if __name__ == "__main__":
    unittest.main()
