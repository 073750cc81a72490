"""What a Java user knows from IJava/JJava, over the real protocol (jupyter_client): %maven with transitive
dependencies, %mavenRepo, %%loadFromPOM, %jars, %load, display/render with MIME types, Shift-Tab help on any Java
symbol and ranked completion.

Maven artifacts come from a file repository that setUpClass writes (org.example:greeter:1.0 depends on
org.example:words:1.0) into an empty local repository: no network is used (the file repository is asked before
Maven Central and holds everything asked for; the errors for missing and unreachable artifacts are tested in
MavenMagicsTest, where Central is left out).

Run: /usr/bin/python3 -m unittest -v test_kernel_parity   (after environment/setup; environment/test runs it)
"""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from kernel_client import Kernel


def java_tool(name):
    java = shutil.which("java")
    home = pathlib.Path(os.path.realpath(java)).parent.parent if java else None
    tool = home / "bin" / name if home else None
    return str(tool) if tool and tool.exists() else shutil.which(name)


def write_artifact(repo, work, name, cls, source, depends_on=None):
    """Compiles source into org/example/NAME/1.0/NAME-1.0.jar with a POM under repo."""
    src = work / ("src-" + name)
    out = work / ("classes-" + name)
    src.mkdir(parents=True)
    out.mkdir(parents=True)
    (src / (cls + ".java")).write_text(source)
    d = repo / "org" / "example" / name / "1.0"
    d.mkdir(parents=True)
    cp = str(repo / "org" / "example" / depends_on / "1.0" / (depends_on + "-1.0.jar")) if depends_on else ""
    subprocess.run([java_tool("javac"), "-d", str(out), "-cp", cp, str(src / (cls + ".java"))], check=True)
    with zipfile.ZipFile(d / (name + "-1.0.jar"), "w") as z:
        for f in out.rglob("*.class"):
            z.write(f, f.relative_to(out).as_posix())
    dep = ("<dependencies><dependency><groupId>org.example</groupId><artifactId>%s</artifactId>"
           "<version>1.0</version></dependency></dependencies>" % depends_on) if depends_on else ""
    (d / (name + "-1.0.pom")).write_text(
        "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId><artifactId>%s</artifactId>"
        "<version>1.0</version>%s</project>" % (name, dep))


class KernelParity(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="tpdiff4j-parity-"))
        cls.repo = cls.tmp / "remote"
        cls.local = cls.tmp / "local"
        write_artifact(cls.repo, cls.tmp, "words", "Words", "package org.example.words; public final class Words {"
                       " public static String hello() { return \"hello\"; } }")
        write_artifact(cls.repo, cls.tmp, "greeter", "Greeter", "package org.example.greeter; public final class "
                       "Greeter { public static String greet(String n) { return org.example.words.Words.hello()"
                       " + \", \" + n; } }", depends_on="words")
        cls.k = Kernel()
        # the session's local repository: empty, in the temp folder (read when %maven is first used)
        cls.k.value('System.setProperty("maven.repo.local", %s)' % json.dumps(str(cls.local)))

    @classmethod
    def tearDownClass(cls):
        cls.k.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def ok(self, code):
        content, out = self.k.run(code, timeout=120)
        errors = [m["content"] for m in out if m["msg_type"] == "error"]
        self.assertEqual(content["status"], "ok", "%r failed: %s" % (code, errors))
        return out

    def text(self, out, stream="stdout"):
        return "".join(m["content"]["text"] for m in out
                       if m["msg_type"] == "stream" and m["content"]["name"] == stream)

    def shell_reply(self, msg_id):
        while True:
            m = self.k.kc.get_shell_msg(timeout=60)
            if m["parent_header"].get("msg_id") == msg_id:
                return m["content"]

    def test_maven_resolves_transitively_from_a_file_repository(self):
        out = self.ok("%%mavenRepo test %s\n%%maven org.example:greeter:1.0" % self.repo.as_uri())
        # greeter is new; words is new too unless another test of this session added it already
        self.assertRegex(self.text(out), r"%maven: added (2 jars \(greeter-1.0.jar, words-1.0.jar\)|"
                                         r"1 jar \(greeter-1.0.jar\); 1 already on the class path)")
        self.assertTrue((self.local / "org/example/words/1.0/words-1.0.jar").is_file(),
                        "the dependency landed in the session's local repository")
        self.assertEqual(self.k.value('org.example.greeter.Greeter.greet("notebook")'), "hello, notebook")

    def test_load_from_pom_fragment(self):
        self.ok("%%mavenRepo test %s" % self.repo.as_uri())
        out = self.ok("%%loadFromPOM\n<dependency>\n  <groupId>org.example</groupId>\n"
                      "  <artifactId>words</artifactId>\n  <version>1.0</version>\n</dependency>")
        self.assertIn("%%loadFromPOM: added", self.text(out))
        self.assertEqual(self.k.value("org.example.words.Words.hello()"), "hello")

    def test_jars_and_load(self):
        jar = self.repo / "org/example/words/1.0/words-1.0.jar"
        out = self.ok("%%jars %s" % jar)
        self.assertIn("%jars: added", self.text(out))
        nb = self.tmp / "steps.ipynb"
        nb.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["int loadedA = 20;\n", "int loadedB = 22;"]},
            {"cell_type": "markdown", "metadata": {}, "source": "text"},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": "int loadedC = noSuchName;"},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": "int loadedD = 1;"}]}))
        content, out = self.k.run("%%load %s" % nb)
        self.assertEqual(content["status"], "error")
        self.assertIn("code cell 2 of 3 failed", self.text(out, "stderr"))
        self.assertEqual(self.k.value("loadedA + loadedB"), "42")
        self.assertEqual(self.k.run("loadedD")[0]["status"], "error", "the cell after the failing one did not run")

    def test_display_and_render_with_mime_types(self):
        out = self.ok('display("<b>bold</b>", "text/html");')
        shown = [m["content"]["data"] for m in out if m["msg_type"] == "display_data"]
        self.assertEqual(len(shown), 1)
        self.assertEqual(shown[0]["text/html"], "<b>bold</b>")
        out = self.ok('render("{\\"k\\": 3}", "application/json")')
        result = [m["content"]["data"] for m in out if m["msg_type"] == "execute_result"][0]
        self.assertEqual(result["application/json"], {"k": 3})

    def test_shift_tab_on_jdk_methods_and_variables(self):
        reply = self.shell_reply(self.k.kc.inspect("Math.max", 8))
        self.assertEqual(reply["status"], "ok")
        self.assertTrue(reply["found"])
        text = reply["data"]["text/plain"]
        for sig in ("int Math.max(int a, int b)", "double Math.max(double a, double b)"):
            self.assertIn(sig, text)
        self.ok("var primes = new ArrayList<Integer>(List.of(2, 3, 5));")
        reply = self.shell_reply(self.k.kc.inspect("primes", 3))
        self.assertTrue(reply["found"])
        self.assertTrue(reply["data"]["text/plain"].startswith("ArrayList<Integer> primes = [2, 3, 5]"),
                        reply["data"]["text/plain"])

    def test_shift_tab_twice_gives_the_whole_comment(self):
        # classic Notebook sends detail_level 0 on every press; a second press asks again with the same code
        code = "tpdiff4j.pyramid.TemporalPyramid.uniform("
        first = self.shell_reply(self.k.kc.inspect(code, len(code)))["data"]["text/plain"]
        self.assertIn("uniform(NoiseSchedule schedule, int stages, int frames)", first)
        self.assertNotIn("@param frames", first)
        second = self.shell_reply(self.k.kc.inspect(code, len(code)))["data"]["text/plain"]
        self.assertTrue(second.startswith(first), second)
        self.assertIn("@param frames", second)
        other = "Math.max"
        self.assertNotIn("@param", self.shell_reply(self.k.kc.inspect(other, len(other)))["data"]["text/plain"])

    def test_completion_puts_the_session_variable_first(self):
        self.ok("String sampleName = \"s\";")
        reply = self.shell_reply(self.k.kc.complete("var t = s", 9))
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(reply["matches"][0], "sampleName", reply["matches"])
        self.assertEqual(reply["cursor_start"], 8)


if __name__ == "__main__":
    unittest.main()
