"""The kernel under the locales researchers' machines have: LANG=C (services, containers), a locale that is not
installed, and a Turkish one (dotless i, decimal comma). File and folder names outside ASCII, with spaces, must work in
every one of them; text outside ASCII must reach the notebook unchanged; numbers have a decimal point everywhere.

Run: /usr/bin/python3 -m unittest -v test_kernel_locale   (after environment/setup; environment/test runs it)
"""
import json
import pathlib
import shutil
import subprocess
import tempfile
import unittest

from kernel_client import Kernel

NAME = "Übung mit Leerzeichen σ"


def locale_installed(name):
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    return name.lower().replace("utf-8", "utf8") in [n.lower() for n in out]


class KernelLocale(unittest.TestCase):

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="tpdiff4j-locale-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check_files_and_text(self, env):
        """A folder outside ASCII made, listed and written by a cell; text outside ASCII in source, output, value."""
        k = Kernel(env={"LC_ALL": "", "LC_CTYPE": "", "LC_NUMERIC": "", "LC_MESSAGES": "", **env})
        try:
            folder = self.tmp / NAME / "Videos-ß"
            content, out = k.run('java.nio.file.Path d = java.nio.file.Path.of(%s); java.nio.file.Files.createDirectories'
                                 '(d); java.nio.file.Files.writeString(d.resolve("σ².txt"), "γ = 0.5");'
                                 % json.dumps(str(folder)))
            self.assertEqual(content["status"], "ok", "%s: %s" % (content.get("ename"), content.get("evalue")))
            self.assertEqual((folder / "σ².txt").read_text(encoding="utf-8"), "γ = 0.5")
            self.assertEqual(k.value("java.nio.file.Files.list(d).map(p -> p.getFileName().toString()).toList()"),
                             "[σ².txt]")
            content, out = k.run('double σ = 0.5; System.out.println("σ² = " + σ * σ + " 🎉");')
            self.assertEqual("".join(m["content"]["text"] for m in out if m["msg_type"] == "stream"), "σ² = 0.25 🎉\n")
            self.assertEqual(k.value('"Grüße, " + σ'), "Grüße, 0.5")
        finally:
            k.close()

    def test_lang_c(self):
        self.check_files_and_text({"LANG": "C"})

    def test_a_notebook_folder_outside_ascii_under_lang_c(self):
        """The kernel starts in the notebook's folder; under ASCII the JVM died before its first reply there."""
        folder = self.tmp / NAME / "Notebooks ß"
        folder.mkdir(parents=True)
        k = Kernel(env={"LC_ALL": "", "LC_CTYPE": "", "LANG": "C"}, cwd=folder)
        try:
            self.assertEqual(k.value('System.getProperty("user.dir")'), str(folder))
            content, out = k.run('java.nio.file.Files.writeString(java.nio.file.Path.of("σ.txt"), "ok");')
            self.assertEqual(content["status"], "ok", "%s: %s" % (content.get("ename"), content.get("evalue")))
            self.assertEqual((folder / "σ.txt").read_text(encoding="utf-8"), "ok")
        finally:
            k.close()

    def test_a_locale_that_is_not_installed(self):
        self.check_files_and_text({"LANG": "xx_YY.UTF-8"})

    def test_turkish_keeps_its_language_and_numbers_have_a_point(self):
        env = {"LC_ALL": "", "LANG": "tr_TR.UTF-8"}
        if locale_installed("tr_TR.UTF-8"):
            self.check_files_and_text({"LANG": "tr_TR.UTF-8"})
        else:
            # the JVM takes its default locale from these properties whatever the system has installed
            env["JAVA_TOOL_OPTIONS"] = "-Duser.language=tr -Duser.country=TR"
        k = Kernel(env=env)
        try:
            # the cell's numbers as the library writes its own (a point, on every machine); the language stays
            self.assertEqual(k.value('java.util.Locale.getDefault() + " " + String.format("%.1f", 1.5) + " "'
                                     ' + String.format(java.util.Locale.GERMANY, "%.1f", 1.5)'), "tr_TR 1.5 1,5")
        finally:
            k.close()

if __name__ == "__main__":
    unittest.main()
