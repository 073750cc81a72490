"""environment/setup and environment/notebook in a checkout that lives somewhere unusual: a folder whose path has
spaces, "&", "|", quotes, a backslash and letters outside ASCII, run from another folder than the checkout; the
Jupyter command environment/setup keeps for environment/live-check; a read-only checkout (setup, compare and bench);
a path with ':'; JVM options with a quoted path; one named notebook executed headless. Each set-up here writes its
kernelspec into a data folder of its own (JUPYTER_DATA_DIR), never into the user-wide one.

Run: /usr/bin/python3 -m unittest -v test_setup_paths   (after environment/setup built kernel-lib; environment/test
runs it)
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

REPO = pathlib.Path(__file__).resolve().parents[4]
JAR = REPO / "kernel-lib" / "target" / "kernel-lib.jar"
LIB = REPO / "kernel-lib" / "target" / "lib"
# every character here once broke a set-up: sed's "&" (the matched text) and "|" (its delimiter), a space (the
# class-data archive's option split in two), a quote and a backslash (kernel.json written as text, not as JSON)
ODD = 'R&D | "Übung" mit\\Leerzeichen'


class SetupPaths(unittest.TestCase):

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="tpdiff4j setup "))
        self.data = self.tmp / "jupyter-data"
        self.user_spec = self.data / "kernels" / "tpdiff4j" / "kernel.json"

    def tearDown(self):
        subprocess.run(["chmod", "-R", "u+w", str(self.tmp)], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def checkout(self, parent, built=True):
        """The parts of a checkout that environment/setup reads, under parent: environment/, and the built jar and its
        libraries (the libraries linked, not copied: the class path names them through the checkout)."""
        root = self.tmp / parent / "tpdiff4j"
        shutil.copytree(REPO / "environment", root / "environment")
        if built:
            if not JAR.is_file() or not LIB.is_dir():
                self.skipTest("kernel-lib is not built: run environment/setup (or mvn package) first")
            (root / "kernel-lib" / "target").mkdir(parents=True)
            shutil.copy2(JAR, root / "kernel-lib" / "target" / "kernel-lib.jar")
            (root / "kernel-lib" / "target" / "lib").symlink_to(LIB, target_is_directory=True)
        return root

    def setup(self, root, wrap=(), **env):
        """Runs root/environment/setup from / (not the checkout) with the build skipped; returns the CompletedProcess."""
        return self.command(root, "setup", [], wrap, **env)

    def command(self, root, name, args, wrap=(), **env):
        """Runs root/environment/NAME with args from / as setup() does; returns the CompletedProcess."""
        full = {**os.environ, "TPDIFF4J_SKIP_BUILD": "1", "JUPYTER_DATA_DIR": str(self.data),
                "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), **env}
        return subprocess.run(list(wrap) + ["bash", str(root / "environment" / name)] + list(args), cwd="/", env=full,
                              capture_output=True, text=True, timeout=600)

    def test_checkout_under_a_path_with_spaces_and_shell_characters(self):
        root = self.checkout(ODD)
        run = self.setup(root, TPDIFF4J_KERNEL_JAVA_OPTS='"-Dtpdiff4j.qa=a b  c" -Dtpdiff4j.qb=1')
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertNotIn("no class-data archive", run.stderr)
        spec_dir = root / "build" / "jupyter" / "kernels"
        argv = json.loads((spec_dir / "tpdiff4j" / "kernel.json").read_text(encoding="utf-8"))["argv"]
        # the user's kernelspec (here in JUPYTER_DATA_DIR) is the same file
        self.assertEqual(json.loads(self.user_spec.read_text(encoding="utf-8"))["argv"], argv)
        self.assertEqual(argv[0], str(root / "environment" / "kernel-launch"))
        self.assertEqual(argv[argv.index("-cp") + 1],
                         "%s/kernel-lib/target/kernel-lib.jar:%s/kernel-lib/target/lib/*" % (root, root))
        self.assertIn("-XX:SharedArchiveFile=%s/build/kernel-cds.jsa" % root, argv)
        self.assertTrue((root / "build" / "kernel-cds.jsa").is_file())
        self.assertIn("-Dtpdiff4j.qa=a b  c", argv)
        self.assertIn("-Dtpdiff4j.qb=1", argv)
        # the JVM maps the archive (-Xshare:on refuses to start otherwise) with the kernelspec's own options
        jvm = argv[1:argv.index("tpdiff4j.kernel.KernelMain")]
        share = subprocess.run(jvm + ["-Xshare:on", "-version"], capture_output=True, text=True, timeout=60)
        self.assertEqual(share.returncode, 0, share.stdout + share.stderr)
        # and the kernel starts from that spec and answers
        km = KernelManager(kernel_name="tpdiff4j", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec_dir)]))
        km.start_kernel()
        kc = km.client()
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
            values = []
            reply = kc.execute_interactive('System.getProperty("tpdiff4j.qa") + "|" + (6 * 7)', timeout=60,
                                           output_hook=lambda m: values.append(m["content"]["data"]["text/plain"])
                                           if m["msg_type"] == "execute_result" else None)
            self.assertEqual(reply["content"]["status"], "ok", reply["content"])
            self.assertEqual(values, ['a b  c|42'])
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_notebook_command_executes_one_named_notebook_from_another_folder(self):
        """With the Jupyter of an activated virtual environment under a folder with spaces: a python that has no
        jupyter executable next to it, so the command is that python's "-m jupyter", its path one word."""
        root = self.checkout(ODD)
        shutil.copytree(REPO / "notebooks", root / "notebooks")
        venv = self.tmp / "my venv"
        made = subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                              capture_output=True, text=True)
        self.assertEqual(made.returncode, 0, made.stderr)
        run = subprocess.run(["bash", str(root / "environment" / "notebook"), "--execute", "00-kernel-tour"], cwd="/",
                             env={**os.environ, "TPDIFF4J_SKIP_BUILD": "1", "JUPYTER_DATA_DIR": str(self.data),
                                  "TPDIFF4J_QUICK": "1", "TPDIFF4J_THREADS": "1",
                                  "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                                  "VIRTUAL_ENV": str(venv), "PATH": "%s/bin:%s" % (venv, os.environ["PATH"])},
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("[setup] Jupyter: %s/bin/python3 -m jupyter" % venv, run.stdout)
        out = root / "build" / "notebooks"
        self.assertEqual(sorted(p.name for p in out.iterdir()),
                         ["00-kernel-tour.html", "00-kernel-tour.ipynb", "timings.json"])
        self.assertEqual(list(json.loads((out / "timings.json").read_text())["quick"]), ["00-kernel-tour"])
        cells = json.loads((out / "00-kernel-tour.ipynb").read_text(encoding="utf-8"))["cells"]
        self.assertFalse([o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"])
        # the executed notebook names no folder of this machine (the odd checkout's path included)
        share = subprocess.run([sys.executable, str(root / "environment" / "py" / "share_check.py"),
                                str(out / "00-kernel-tour.ipynb"), "--root", str(root)],
                               capture_output=True, text=True, timeout=120)
        self.assertEqual(share.returncode, 0, share.stdout + share.stderr)

    def test_notebook_command_refuses_a_name_that_is_no_notebook_before_setting_up(self):
        root = self.checkout("names", built=False)
        shutil.copytree(REPO / "notebooks", root / "notebooks")
        for args, message in [(["--execute", "01-schedule"], "there is no %s/notebooks/01-schedule.ipynb; the "
                                                              "notebooks are 00-kernel-tour 01-schedules" % root),
                              (["--execute", "/elsewhere/01-schedules.ipynb"], "not in this checkout's notebooks/"),
                              (["01-schedules"], "notebook names come after --execute")]:
            run = subprocess.run(["bash", str(root / "environment" / "notebook")] + args, cwd="/",
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
            self.assertIn(message, run.stderr)
            self.assertFalse((root / "build").exists(), "the set-up must not run for %s" % args)

    def test_live_check_runs_the_jupyter_command_that_setup_chose_under_a_plain_ascii_locale(self):
        """The Jupyter command is chosen once, by environment/setup, and kept in build/jupyter-env. With LANG=C, bash's
        printf %q writes a letter outside ASCII as $'\\303\\234'; environment/live-check parsed that file with
        Python's shlex and got a path that does not exist. Here the python (of a virtual environment, so the command
        is "PYTHON -m jupyter") lives under a folder with spaces, quotes, a backslash and "Ü"."""
        root = self.checkout(ODD)
        venv = self.tmp / ODD / "my venv"
        made = subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                              capture_output=True, text=True)
        self.assertEqual(made.returncode, 0, made.stderr)
        run = self.setup(root, VIRTUAL_ENV=str(venv), PATH="%s/bin:%s" % (venv, os.environ["PATH"]), LANG="C",
                         LC_ALL="C", TPDIFF4J_KERNEL_CDS="0")
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        expected = [str(venv / "bin" / "python3"), "-m", "jupyter"]
        self.assertIn("[setup] Jupyter: %s (python %s)" % (" ".join(expected), expected[0]), run.stdout)
        self.assertIn("$'", (root / "build" / "jupyter-env").read_text(encoding="utf-8"), "printf %q under LANG=C")
        # environment/live-check's own reading of build/jupyter-env
        load = ("import importlib.machinery, importlib.util, json, sys\n"
                "loader = importlib.machinery.SourceFileLoader('live_check', sys.argv[1])\n"
                "module = importlib.util.module_from_spec(importlib.util.spec_from_loader('live_check', loader))\n"
                "loader.exec_module(module)\n"
                "print(json.dumps(module.jupyter_command()))\n")
        read = subprocess.run([sys.executable, "-c", load, str(root / "environment" / "live-check")],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(read.returncode, 0, read.stderr)
        self.assertEqual(json.loads(read.stdout), expected)
        # the bash commands source the same file and get the same words
        words = subprocess.run(["bash", "-c", 'source "$1" && printf "%s\\n" "${JUPYTER_CMD[@]}"', "-",
                                str(root / "build" / "jupyter-env")], capture_output=True, text=True, timeout=60)
        self.assertEqual(words.stdout.splitlines(), expected, words.stderr)
        # and the command works: it finds this checkout's kernelspec
        listed = subprocess.run(expected + ["kernelspec", "list", "--json"], capture_output=True, text=True, timeout=120,
                                env={**os.environ, "JUPYTER_PATH": str(root / "build" / "jupyter")})
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual(json.loads(listed.stdout)["kernelspecs"]["tpdiff4j"]["resource_dir"],
                         str(root / "build" / "jupyter" / "kernels" / "tpdiff4j"))

    def test_read_only_checkout_is_refused_with_its_reason(self):
        """environment/setup, environment/compare and environment/bench refuse a read-only checkout at once, naming it
        and the reason (compare and bench failed late, inside Maven or Java)."""
        root = self.checkout("read-only", built=False)
        if os.geteuid() == 0:  # root writes through permissions: a read-only bind mount in a mount namespace of its own
            probe = shutil.which("unshare") and subprocess.run(
                ["unshare", "-m", "sh", "-c", "mount --bind -o ro \"$0\" \"$0\"", str(root)], capture_output=True)
            if not probe or probe.returncode != 0:
                self.skipTest("running as root without a mount namespace to make the checkout read-only")
            wrap = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(root)]
            reason = "Read-only file system"
        else:
            subprocess.run(["chmod", "-R", "a-w", str(root)], check=True)
            wrap, reason = (), "Permission denied"
        for name in ["setup", "compare", "bench"]:
            run = self.command(root, name, [] if name == "setup" else ["--preset", "quick"], wrap)
            self.assertEqual(run.returncode, 1, name + ": " + run.stdout + run.stderr)
            self.assertIn("[%s] cannot write into the checkout %s" % (name, root), run.stderr)
            self.assertIn(reason, run.stderr)
            self.assertIn("git clone", run.stderr)
            self.assertIn("run environment/%s there" % name, run.stderr)
            self.assertNotIn("build", run.stdout, name + ": nothing may be built or run")
        self.assertFalse(self.user_spec.exists(), "a refused set-up must leave the user's kernelspec alone")

    def test_full_temporary_disk_stops_the_set_up_naming_the_kernelspec_file(self):
        """TMPDIR on a full tmpfs (mounted in a mount namespace of its own): the kernelspec, assembled there, cannot be
        written. The set-up once went on with an empty kernel.json (Python drops the error of a file it closes itself)
        and installed it; now it stops, naming the file, the reason and the free space, and installs nothing."""
        root = self.checkout("full-tmp")
        small = self.tmp / "small-tmp"
        small.mkdir()
        fill = ('mount -t tmpfs -o size=64k tmpfs "$0" && { head -c 1M /dev/zero > "$0/filler" 2>/dev/null || true; }'
                ' && echo MOUNTED >&2 && exec "$@"')
        wrap = ["unshare", "--mount", "--map-root-user", "sh", "-c", fill, str(small)]
        if not shutil.which("unshare"):
            self.skipTest("no unshare to mount a small full tmpfs privately")
        run = self.setup(root, wrap, TMPDIR=str(small), TPDIFF4J_KERNEL_CDS="0")
        if "MOUNTED" not in run.stderr:
            self.skipTest("cannot mount a tmpfs in a mount namespace of its own here: " + run.stderr[-500:])
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertRegex(run.stderr, r"\[setup\] cannot write %s/tmp\.\w+/tpdiff4j/kernel\.json: No space left on device"
                         r" \(\d+ bytes free there\): free space on that disk" % small)
        self.assertFalse(self.user_spec.exists(), "nothing is installed from a kernelspec that could not be written")
        self.assertFalse((root / "build" / "jupyter" / "kernels" / "tpdiff4j" / "kernel.json").exists())

    def test_colon_in_the_checkouts_path_is_refused(self):
        root = self.checkout("course:2026", built=False)
        run = self.setup(root)
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        self.assertIn("'%s'" % root, run.stderr)
        self.assertIn("Java's class path separates its entries with ':'", run.stderr)
        self.assertFalse(self.user_spec.exists())

    def test_unbalanced_quote_in_java_opts_is_named(self):
        root = self.checkout("opts", built=False)
        run = self.setup(root, TPDIFF4J_KERNEL_JAVA_OPTS='-Dtpdiff4j.data="/data/my videos')
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        self.assertIn("TPDIFF4J_KERNEL_JAVA_OPTS = '-Dtpdiff4j.data=\"/data/my videos': no closing quotation",
                      run.stderr)
        self.assertFalse(self.user_spec.exists())


if __name__ == "__main__":
    unittest.main()
