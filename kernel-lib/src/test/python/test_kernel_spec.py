"""The installed kernelspec's class-data archive (-XX:SharedArchiveFile, written by environment/setup) is one that the
kernelspec's own java maps. A JVM maps only an archive that the same JVM wrote; one left from a set-up with another
java on PATH (Java 25, then 17) is skipped without a word at every kernel start, which then starts slower.

Run: /usr/bin/python3 -m unittest -v test_kernel_spec   (after environment/setup)
"""
import subprocess
import unittest

from jupyter_client.kernelspec import KernelSpecManager


class KernelSpec(unittest.TestCase):

    def test_class_data_archive_is_mapped_by_the_kernelspecs_java(self):
        argv = KernelSpecManager().get_kernel_spec("tpdiff4j").argv
        java = argv[1]  # after environment/kernel-launch
        archives = [a for a in argv if a.startswith("-XX:SharedArchiveFile=")]
        if not archives:
            self.skipTest("the kernelspec has no class-data archive (TPDIFF4J_KERNEL_CDS=0)")
        # -Xshare:on: the JVM refuses to start when it cannot map the archive (instead of starting without it)
        # with the kernelspec's JVM options (its class path among them: an archive holds the class path it was made for)
        jvm_options = argv[2:argv.index("tpdiff4j.kernel.KernelMain")]
        run = subprocess.run([java] + jvm_options + ["-Xshare:on", "-version"], capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(run.returncode, 0, "%s cannot map %s:\n%s" % (java, archives[0], run.stdout + run.stderr))


if __name__ == "__main__":
    unittest.main()
