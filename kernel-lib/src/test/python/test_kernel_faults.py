"""Fault suite of the tpdiff4j kernel over the real protocol: forged and pathological messages leave the kernel
answering, a flood of output arrives complete before its reply, output of a background thread reaches the notebook,
completion and inspect count code points, and the heap stays flat over many cells.

Run: /usr/bin/python3 -m unittest -v test_kernel_faults   (after environment/setup; environment/test runs it)
"""
import json
import random
import subprocess
import time
import unittest
import uuid

import zmq

from kernel_client import Kernel

HEAP = "512m"
# 12 KB of nested binary operators: deep enough to overflow a default-sized thread stack inside JShell's analysis
DEEP = "int x = " + "1 + " * 3000 + "1; x."


class KernelFaults(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # the heap tests measure what each cell leaves behind; the idle warm-up (up to TPDIFF4J_KERNEL_WARMUP
        # throwaway expressions, about 22 KiB each that JShell keeps for good, bounded in total) would run in the
        # pauses of the measurement (jcmd's full GC) and count as the cells'
        cls.k = Kernel(heap=HEAP, env={"TPDIFF4J_KERNEL_WARMUP": "0"})
        kc = cls.k.kc
        cls.ctx = zmq.Context()
        cls.raw = cls.ctx.socket(zmq.DEALER)
        cls.raw.setsockopt(zmq.LINGER, 0)
        cls.raw.connect("%s://%s:%d" % (kc.transport, kc.ip, kc.shell_port))

    @classmethod
    def tearDownClass(cls):
        cls.raw.close()
        cls.ctx.term()
        cls.k.close()

    def assert_alive(self):
        self.assertEqual(self.k.value("20 + 22", timeout=60), "42")
        self.k.kc.kernel_info()
        reply = self.k.kc.get_shell_msg(timeout=30)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")

    def request(self, msg_type, content, timeout=120):
        """Sends a shell request through jupyter_client and returns its reply (asserts one arrives in time)."""
        msg = self.k.kc.session.msg(msg_type, content)
        self.k.kc.shell_channel.send(msg)
        deadline = time.monotonic() + timeout
        while True:
            reply = self.k.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply

    def frames(self, msg_type="kernel_info_request", content=None):
        """The four JSON frames of a request, as bytes."""
        header = {"msg_id": uuid.uuid4().hex, "session": uuid.uuid4().hex, "username": "fault", "date": "",
                  "msg_type": msg_type, "version": "5.3"}
        return [json.dumps(p).encode() for p in (header, {}, {}, content or {})]

    def test_bad_signature_is_dropped_and_the_kernel_answers(self):
        self.raw.send_multipart([b"<IDS|MSG>", b"0" * 64] + self.frames())
        self.assert_alive()

    def test_malformed_json_is_dropped_and_the_kernel_answers(self):
        session = self.k.kc.session
        for bad in ([b"{not json", b"{}", b"{}", b"{}"],
                    [json.dumps({"msg_id": "x", "msg_type": 42}).encode(), b"{}", b"{}", b"[1, 2"],
                    self.frames()[:3] + [b"\xff\xfe not utf-8"]):
            self.raw.send_multipart([b"<IDS|MSG>", session.sign(bad)] + bad)
            self.assert_alive()

    def test_extra_garbage_frames_are_skipped(self):
        self.raw.send_multipart([b"<IDS|MSG>", b"nosig", b"garbage"] + [b"x" * 100] * 10)
        self.assert_alive()

    def test_deep_expression_in_complete_inspect_is_complete_and_execute(self):
        reply = self.request("complete_request", {"code": DEEP, "cursor_pos": len(DEEP)})
        self.assertIn(reply["content"]["status"], ("ok", "error"))
        reply = self.request("inspect_request", {"code": DEEP, "cursor_pos": len(DEEP) - 2, "detail_level": 0})
        self.assertIn(reply["content"]["status"], ("ok", "error"))
        reply = self.request("is_complete_request", {"code": DEEP})
        self.assertIn(reply["content"]["status"], ("complete", "incomplete", "invalid", "unknown"))
        content, _ = self.k.run(DEEP[:-3], timeout=120)
        self.assertIn(content["status"], ("ok", "error"))
        self.assert_alive()

    def test_unknown_message_type_leaves_the_kernel_answering(self):
        msg = self.k.kc.session.msg("no_such_request", {})
        self.k.kc.shell_channel.send(msg)
        self.assert_alive()

    def test_flood_of_lines_arrives_complete_before_the_reply(self):
        n = 200_000
        reply, out = self.k.collect(self.k.submit(
            "for (int i = 0; i < %d; i++) System.out.println(i);\n\"done\"" % n), timeout=300)
        self.assertEqual(reply["content"]["status"], "ok")
        text = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        lines = text.splitlines()
        self.assertEqual(len(lines), n)
        self.assertEqual(lines, [str(i) for i in range(n)])
        results = [m for m in out if m["msg_type"] == "execute_result"]
        self.assertEqual([m["content"]["data"]["text/plain"] for m in results], ["done"])
        last_stream = max(m["received"] for m in out if m["msg_type"] == "stream")
        self.assertLessEqual(last_stream, results[0]["received"])

    def test_printed_text_and_displays_keep_their_order(self):
        content, out = self.k.run('System.out.println("before");\ndisplay("shown");\nSystem.out.println("after");')
        self.assertEqual(content["status"], "ok")
        kinds = [m["content"]["text"].strip() if m["msg_type"] == "stream" else m["content"]["data"]["text/plain"]
                 for m in out if m["msg_type"] in ("stream", "display_data")]
        self.assertEqual(kinds, ["before", "shown", "after"])

    def test_output_of_a_background_thread_reaches_the_notebook(self):
        msg_id = self.k.submit('new Thread(() -> {\n'
                               '    try { Thread.sleep(700); } catch (InterruptedException e) { }\n'
                               '    System.out.println("from the background");\n'
                               '}).start();')
        reply, _ = self.k.collect(msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        deadline = time.monotonic() + 20
        seen = ""
        while "from the background" not in seen and time.monotonic() < deadline:
            try:
                m = self.k.kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                seen += m["content"]["text"]
        self.assertIn("from the background", seen)

    def test_completion_counts_code_points(self):
        self.k.run('String emojiText = "\U0001F600";')
        code = 'String s = "\U0001F600\U0001F600"; emojiTe'
        reply = self.request("complete_request", {"code": code, "cursor_pos": len(code)})["content"]
        self.assertEqual(reply["status"], "ok")
        self.assertIn("emojiText", reply["matches"])
        # Python's len counts code points, as the protocol does: the replaced word is "emojiTe"
        self.assertEqual(reply["cursor_end"], len(code))
        self.assertEqual(reply["cursor_start"], len(code) - len("emojiTe"))

    def test_inspect_counts_code_points_and_clamps_the_cursor(self):
        self.k.run('String inspected = "x";')
        code = '"\U0001F600"; inspected'
        reply = self.request("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertTrue(reply["content"]["found"])
        self.assertIn("inspected", reply["content"]["data"]["text/plain"])
        reply = self.request("inspect_request", {"code": "inspected", "cursor_pos": 500, "detail_level": 0})
        self.assertEqual(reply["content"]["status"], "ok")
        reply = self.request("complete_request", {"code": "inspe", "cursor_pos": 500})
        self.assertEqual(reply["content"]["status"], "ok")

    def live_heap(self):
        """Bytes of live objects in the kernel's heap: jcmd's class histogram runs a full GC first and sums exactly
        what survives it (Runtime's used memory after System.gc() also counts partly filled G1 regions and
        wanders by tens of KiB per cell)."""
        out = subprocess.run(["jcmd", str(self.k.km.provisioner.process.pid), "GC.class_histogram"],
                             capture_output=True, text=True, timeout=120).stdout
        total = [line for line in out.splitlines() if line.startswith("Total")]
        self.assertTrue(total, out[-2000:])
        return int(total[0].split()[2])

    def test_cell_values_are_not_kept(self):
        # each cell shows a 1 MiB buffer (short text/plain); JShell keeps every expression's value in a variable $N
        # for the whole session unless the kernel lets it go: 40 cells would then hold 40 MiB
        for i in range(5):
            self.k.run("java.nio.ByteBuffer.allocate(1 << 20)")
        before = self.live_heap()
        for i in range(40):
            self.assertIn("HeapByteBuffer", self.k.value("java.nio.ByteBuffer.allocate(1 << 20)"))
        grown = self.live_heap() - before
        self.assertLess(grown, 8 << 20, "40 cells of 1 MiB values left %d bytes" % grown)

    def test_heap_stays_flat_over_many_cells(self):
        for i in range(30):  # warm-up: JIT, first-use caches of JShell and javac
            self.k.run("%d + %d" % (i, i))
        before = self.live_heap()
        n = 150
        for i in range(n):
            self.assertEqual(self.k.run("%d * 3" % i)[0]["status"], "ok")
        slope = (self.live_heap() - before) / n
        # JShell keeps every snippet (its source, wrapper and compiler symbols): about 22 KiB per trivial cell,
        # measured with this histogram, which the kernel cannot release; a kept value, output or history entry of
        # a cell would add to it (before the kernel released values, big values stayed for good)
        self.assertLess(slope, 30 * 1024, "%.1f KiB per cell" % (slope / 1024))


class StateAcrossCells(unittest.TestCase):
    """A generated session: imports, redeclared methods and classes that variables depend on, records, enums,
    switch expressions, pattern matching, lambdas, text blocks and generic methods; after every cell, every earlier
    variable still holds its value, or the cell's output names it as reset or dropped (a variable whose class was
    redeclared: the old object is not an instance of the new class, which Java makes impossible to keep; JShell
    also refuses a recompiled 'var' declaration of that class)."""

    @classmethod
    def setUpClass(cls):
        cls.k = Kernel(heap=HEAP)

    @classmethod
    def tearDownClass(cls):
        cls.k.close()

    def templates(self):
        return [
            lambda i: ("import java.util.concurrent.*;\nimport com.google.gson.*;\nimport java.nio.file.*;", {}),
            lambda i: ("record R%d(int a, String b) {}\nvar r%d = new R%d(%d, \"b%d\");" % (i, i, i, i, i),
                       {"r%d" % i: "R%d[a=%d, b=b%d]" % (i, i, i)}),
            lambda i: ("enum E%d { A, B }\nvar e%d = E%d.B;" % (i, i, i), {"e%d" % i: "B"}),
            lambda i: ("int sw%d = switch (%d %% 3) { case 0 -> 10; case 1 -> 11; case 2 -> 12;\n"
                       "    default -> throw new IllegalStateException(); };\nint after%d = sw%d + 1;"
                       % (i, i, i, i), {"sw%d" % i: str(10 + i % 3), "after%d" % i: str(11 + i % 3)}),
            lambda i: ("Object o%d = \"s%d\";\nString pm%d = o%d instanceof String s ? s.toUpperCase() : \"no\";"
                       % (i, i, i, i), {"pm%d" % i: "S%d" % i}),
            lambda i: ("Function<Integer, Integer> f%d = x -> x + %d;\nint lam%d = f%d.apply(1);" % (i, i, i, i),
                       {"lam%d" % i: str(i + 1), "f%d.apply(2)" % i: str(i + 2)}),
            lambda i: ('String tb%d = """\n    hello %d\n    """;' % (i, i), {"tb%d.strip()" % i: "hello %d" % i}),
            lambda i: ("<T> List<T> twice%d(T t) { return List.of(t, t); }\nvar g%d = twice%d(\"g\");" % (i, i, i),
                       {"g%d" % i: "[g, g]"}),
            lambda i: ("int dep() { return %d; }\nvar d%d = dep();\nString ds%d = \"v\" + dep();" % (i, i, i),
                       {"d%d" % i: str(i), "ds%d" % i: "v%d" % i}),
            lambda i: ("class Box { int v; Box(int v) { this.v = v; }\n"
                       "    public String toString() { return \"Box\" + v + \"/%d\"; } }\n"
                       "var box%d = new Box(%d);\nString boxText%d = box%d.toString();" % (i, i, i, i, i),
                       {"box%d" % i: "Box%d/%d" % (i, i), "boxText%d" % i: "Box%d/%d" % (i, i)}),
        ]

    def test_earlier_variables_keep_their_values(self):
        rng = random.Random(11)
        templates = self.templates()
        expected = {}
        for i in range(24):  # every template once, then a seeded mix
            code, new = templates[i % len(templates)](i) if i < len(templates) else rng.choice(templates)(i)
            content, out = self.k.run(code)
            self.assertEqual(content["status"], "ok", "cell %d failed: %s\n%s" % (i, content.get("evalue"), code))
            notes = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
            for name in [n for n in expected if "variable %s was reset" % n in notes
                         or "variable %s was dropped" % n in notes]:
                self.assertTrue(name.startswith("box"), "%s reset by cell %d:\n%s\n%s" % (name, i, code, notes))
                del expected[name]  # its class Box was redeclared: the note says so
            expected.update(new)
            names = sorted(expected)
            got = self.k.value("String.join(\"\\u0001\", List.of(%s))"
                               % ", ".join("String.valueOf(%s)" % n for n in names))
            self.assertEqual(dict(zip(names, got.split("\u0001"))), expected, "after cell %d:\n%s" % (i, code))


if __name__ == "__main__":
    unittest.main()
