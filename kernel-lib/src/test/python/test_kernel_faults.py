"""Fault suite of the tpdiff4j kernel over the real protocol: forged and pathological messages leave the kernel
answering, a flood of output arrives complete before its reply, output of a background thread reaches the notebook,
completion and inspect count code points, and the heap stays flat over many cells.

Run: /usr/bin/python3 -m unittest -v test_kernel_faults   (after environment/setup; environment/test runs it)
"""
import json
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
        cls.k = Kernel(heap=HEAP)
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


if __name__ == "__main__":
    unittest.main()
