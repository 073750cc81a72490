"""Jupyter's kernel conformance suite (jupyter_kernel_test) against the installed "tpdiff4j" kernelspec.

Run: /usr/bin/python3 -m unittest -v test_kernel_conformance   (environment/test does this after environment/setup)
"""
import re
import unittest

import jupyter_kernel_test as jkt


class TpdiffKernelConformance(jkt.KernelTests):
    kernel_name = "tpdiff4j"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world")'
    code_stderr = 'System.err.println("to stderr")'

    completion_samples = [
        {"text": "System.out.printl", "matches": {"println("}},
        {"text": "Math.sqr", "matches": {"sqrt("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "for (int i = 0; i < 2; i++) { }",
                             "// only a comment", "%time 1 + 1"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "class A {", "1 +", "String s = \"a\" +"]
    invalid_code_samples = ["}", "int x = 1 +;", "int y = ;"]

    code_generate_error = 'throw new IllegalStateException("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"tp" + "diff4j"', "result": "tpdiff4j"},
        {"code": "List.of(1, 2, 3)", "result": "[1, 2, 3]"},
    ]

    code_display_data = [
        {"code": "display(42);", "mime": "text/plain"},
        {"code": 'display((tpdiff4j.viz.Displayable) () -> Map.of("text/plain", "t", '
                 '"application/json", "{\\"k\\": [1, 2]}"));',
         "mime": "application/json"},
        {"code": 'display((tpdiff4j.viz.Displayable) () -> Map.of("text/plain", "fig", '
                 '"text/html", "<b>fig</b>"));',
         "mime": "text/html"},
    ]

    code_history_pattern = "6*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max("

    def test_help_links_are_the_paper_and_the_java_api(self):
        """The Help menu lists real pages: the paper, and the API of the Java release the kernel runs on."""
        self.flush_channels()
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=20)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=20)
        links = [(link["text"], link["url"]) for link in reply["content"]["help_links"]]
        self.assertEqual(len(links), 2, links)
        self.assertEqual(links[0], ("TPDiff paper (arXiv 2503.09566)", "https://arxiv.org/abs/2503.09566"))
        java = re.fullmatch(r"Java SE (\d+) API", links[1][0])
        self.assertIsNotNone(java, links[1])
        self.assertEqual(links[1][1], "https://docs.oracle.com/en/java/javase/%s/docs/api/" % java.group(1))

    def test_json_mime_is_an_object(self):
        """application/json and application/vnd.plotly.v1+json must arrive as JSON objects, not strings."""
        self.flush_channels()
        code = ('display((tpdiff4j.viz.Displayable) () -> Map.of("text/plain", "fig", '
                '"application/vnd.plotly.v1+json", "{\\"data\\": [{\\"y\\": [1, 3]}], \\"layout\\": {}}"));')
        reply, output_msgs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        shown = [m for m in output_msgs if m["msg_type"] == "display_data"]
        self.assertEqual(len(shown), 1)
        fig = shown[0]["content"]["data"]["application/vnd.plotly.v1+json"]
        self.assertIsInstance(fig, dict)
        self.assertEqual(fig["data"][0]["y"], [1, 3])


if __name__ == "__main__":
    unittest.main()
