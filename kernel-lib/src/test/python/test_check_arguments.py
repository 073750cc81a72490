"""environment/render-check and environment/live-check refuse a number out of range before they start Chromium or a
server: `render-check --expect -1` made the check pass with nothing drawn, `live-check --limit 0` silently used the
default limit, and TPDIFF4J_LIVE_LIMIT=abc ended in a traceback. Each case here must exit with status 2 and a message
naming the option, the value and what it takes, within seconds (nothing is started).

Run: /usr/bin/python3 -m unittest -v test_check_arguments   (environment/test runs it)
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

REPO = pathlib.Path(__file__).resolve().parents[4]


def run(script, *args, env=None):
    return subprocess.run([sys.executable, str(REPO / "environment" / script), *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


class CheckArguments(unittest.TestCase):

    def setUp(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        self.page = os.path.join(d.name, "page.html")  # exists, so a refusal cannot be the missing file's
        with open(self.page, "w") as f:
            f.write("<html></html>")

    def test_render_check_refuses_numbers_out_of_range(self):
        for option, value, message in [("--expect", "-1", "allowed: a whole number of figures, at least 0"),
                                       ("--budget", "0", "allowed: a whole number of milliseconds, at least 1"),
                                       ("--width", "-5", "allowed: a whole number of pixels, at least 1"),
                                       ("--timeout", "abc", "allowed: a whole number of seconds, at least 1")]:
            r = run("render-check", self.page, option, value)
            self.assertEqual(2, r.returncode, (option, value, r.stderr))
            self.assertIn("argument %s: '%s'; %s" % (option, value, message), r.stderr)

    def test_live_check_refuses_a_limit_of_zero_and_an_unreadable_environment_limit(self):
        r = run("live-check", "--limit", "0")
        self.assertEqual(2, r.returncode, r.stderr)
        self.assertIn("argument --limit: '0'; allowed: a whole number of seconds, at least 1", r.stderr)
        r = run("live-check", env={"TPDIFF4J_LIVE_LIMIT": "abc"})
        self.assertEqual(2, r.returncode, r.stderr)
        self.assertIn("TPDIFF4J_LIVE_LIMIT = 'abc'; allowed: a whole number of seconds, at least 1", r.stderr)
        self.assertNotIn("Traceback", r.stderr)


    def test_live_check_reads_the_quick_knob_as_the_kernel_does(self):
        # "TPDIFF4J_QUICK=2" gave the quick time limit to notebooks that the kernel then refused to size
        r = run("live-check", env={"TPDIFF4J_QUICK": "2"})
        self.assertEqual(2, r.returncode, r.stderr)
        self.assertIn("TPDIFF4J_QUICK = '2'; allowed: 1, true, yes or on to turn it on; 0, false, no, off or unset to"
                      " turn it off", r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_live_check_without_selenium_says_which_python_to_use(self):
        # `python3 environment/live-check` with another Python first on PATH (one without selenium) started the server
        # and then ended in a traceback (ModuleNotFoundError) with exit status 1; it now stops before the server, with
        # status 2 and a message naming the Python that ran it and how to run it instead. Here a package named selenium
        # that fails to import stands for the missing one.
        if not (REPO / "build" / "jupyter-env").is_file():
            self.skipTest("environment/setup has not run (build/jupyter-env is missing)")
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "selenium"))
            with open(os.path.join(d, "selenium", "__init__.py"), "w") as f:
                f.write("raise ImportError('No module named selenium (a stand-in)')\n")
            env = {"PYTHONPATH": d + os.pathsep + os.environ.get("PYTHONPATH", ""), "TPDIFF4J_QUICK": "1"}
            r = run("live-check", "--notebooks", "00", "--out", os.path.join(d, "out"), env=env)
        self.assertEqual(2, r.returncode, r.stderr)
        self.assertIn("selenium cannot be imported by %s, the Python running this check" % sys.executable,
                      r.stdout + r.stderr)
        self.assertNotIn("Traceback", r.stdout + r.stderr)
        self.assertNotIn("server http://", r.stdout + r.stderr, "no server started")


if __name__ == "__main__":
    unittest.main()
