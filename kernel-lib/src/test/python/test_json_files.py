"""environment/py/json_files.py: the environment scripts' JSON files (the kernelspec, build/notebooks/timings.json)
written whole or not at all, with an error that names the file, the system's reason and what to do. A full disk is
a tmpfs mounted in a mount namespace of its own (unshare, as root or through a user namespace); the test that needs
it is skipped, saying why, where no such namespace can be made.

Run: /usr/bin/python3 -m unittest -v test_json_files   (environment/test runs it)
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = pathlib.Path(__file__).resolve().parents[4]
sys.path.insert(0, str(REPO / "environment" / "py"))
import json_files  # noqa: E402


class JsonFiles(unittest.TestCase):

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="tpdiff4j json "))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_new_file_replaces_the_old_one_with_the_usual_permissions(self):
        path = self.tmp / "timings.json"
        path.write_text('{"quick": {}}')
        json_files.write(str(path), {"full": {"a": 1}}, indent=1)
        self.assertEqual(json.loads(path.read_text()), {"full": {"a": 1}})
        umask = os.umask(0)
        os.umask(umask)
        self.assertEqual(path.stat().st_mode & 0o777, 0o666 & ~umask)
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["timings.json"])

    def test_data_that_fails_half_way_keeps_the_old_file_and_leaves_no_temporary_file(self):
        path = self.tmp / "kernel.json"
        path.write_text('{"argv": ["old"]}')
        with self.assertRaises(TypeError):
            json_files.write(str(path), {"argv": ["new", object()]})
        self.assertEqual(path.read_text(), '{"argv": ["old"]}')
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["kernel.json"])

    def test_a_path_under_a_file_is_named_with_its_reason(self):
        parent = self.tmp / "build"
        parent.write_text("a file where a folder belongs")
        path = parent / "timings.json"
        with self.assertRaises(SystemExit) as stop:
            json_files.write_or_exit(str(path), {}, "notebook")
        self.assertEqual(str(stop.exception), "[notebook] cannot write %s: Not a directory: a part of the path %s is a"
                                              " file, not a folder" % (path, parent))
        self.assertEqual(parent.read_text(), "a file where a folder belongs")

    def test_a_full_disk_keeps_the_old_file_and_says_how_much_is_free(self):
        """Before, json.dump(data, open(path, "w")) left the file cut off at a page and exited with status 0."""
        if not shutil.which("unshare"):
            self.skipTest("no unshare to mount a small tmpfs privately")
        disk = self.tmp / "disk"
        disk.mkdir()
        program = ("import sys; sys.path.insert(0, sys.argv[1]); import json_files\n"
                   "json_files.write_or_exit(sys.argv[2], {'nb%d' % i: {'seconds': i} for i in range(2000)}, 'notebook',"
                   " indent=1)\n")
        script = ('mount -t tmpfs -o size=64k tmpfs "$0" && echo MOUNTED && printf \'{"quick": {}}\' > "$0/timings.json"'
                  ' && { head -c 1M /dev/zero > "$0/filler" 2>/dev/null || true; } && rm "$0/filler" && '
                  'head -c 56k /dev/zero > "$0/filler" && "$@"; status=$?; echo "STATUS $status";'
                  ' cat "$0/timings.json"; echo; ls -A "$0"')
        run = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script, str(disk), sys.executable,
                              "-c", program, str(REPO / "environment" / "py"), str(disk / "timings.json")],
                             capture_output=True, text=True, timeout=60)
        if "MOUNTED" not in run.stdout:
            self.skipTest("cannot mount a tmpfs in a mount namespace of its own here: " + run.stderr[-500:])
        self.assertIn("STATUS 1", run.stdout, run.stdout + run.stderr)
        self.assertRegex(run.stderr, r"\[notebook\] cannot write %s: No space left on device \(\d+ bytes free there\): "
                                     r"free space on that disk and run the command again" % (disk / "timings.json"))
        lines = run.stdout.splitlines()
        self.assertEqual(lines[lines.index("STATUS 1") + 1], '{"quick": {}}', "the old file is kept whole")
        self.assertEqual(sorted(lines[lines.index("STATUS 1") + 2:]), ["filler", "timings.json"], "no temporary file")


if __name__ == "__main__":
    unittest.main()
