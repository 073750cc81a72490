"""`jupyter console --kernel tpdiff4j` in a pseudo-terminal (pexpect): a cell with a value, a cell that throws, an
interrupt with Ctrl-C, a clean exit with Ctrl-D or by typing `exit`, a start without SLF4J's or the JDK's warnings,
and a warning logged through SLF4J in a cell.

Run: /usr/bin/python3 -m unittest -v test_kernel_console   (after environment/setup; environment/test runs it)
"""
import os
import shutil
import time
import unittest

import pexpect

PROMPT = r"In \[(\d+)\]: "


class JupyterConsole(unittest.TestCase):

    def setUp(self):
        jupyter = shutil.which("jupyter", path="/usr/bin") or shutil.which("jupyter")
        self.child = pexpect.spawn(jupyter, ["console", "--kernel", "tpdiff4j", "--simple-prompt"],
                                   env=dict(os.environ, TERM="dumb"), encoding="utf-8", timeout=120,
                                   dimensions=(40, 200))
        self.addCleanup(self.child.close, force=True)

    def test_cell_error_interrupt_and_exit(self):
        c = self.child
        c.expect("tpdiff4j")  # the kernel's banner
        c.expect(PROMPT)
        c.sendline("6 * 7")
        c.expect(r"Out\[1\]: 42")
        c.expect(PROMPT)
        c.sendline('throw new IllegalStateException("boom " + (1 + 1))')
        c.expect("IllegalStateException: boom 2")
        c.expect(PROMPT)
        c.sendline("Thread.sleep(60_000)")
        time.sleep(3)  # the cell is running now
        t0 = time.monotonic()
        c.sendintr()
        c.expect("CellInterrupted: the cell was interrupted")
        self.assertLess(time.monotonic() - t0, 30)
        c.expect(PROMPT)
        c.sendline("20 + 22")
        c.expect(r"Out\[\d+\]: 42")
        c.expect(PROMPT)
        c.sendeof()
        if c.expect([r"exit.*\?", pexpect.EOF]) == 0:
            c.sendline("y")
            c.expect(pexpect.EOF)
        c.close()
        self.assertEqual(c.exitstatus, 0)


    def test_the_start_is_quiet_and_a_logged_warning_shows_in_the_cell(self):
        # the kernel's standard error is the console's terminal: before, every start showed SLF4J's three "No SLF4J
        # providers" lines and, on Java 17 to 23, the JDK's four lines about System::setSecurityManager
        c = self.child
        c.expect("tpdiff4j")
        c.expect(PROMPT)
        start = c.before
        self.assertNotIn("SLF4J", start)
        self.assertNotIn("setSecurityManager", start)
        self.assertNotIn("terminally deprecated", start)
        c.sendline('org.slf4j.LoggerFactory.getLogger("ai.djl.engine.Engine").warn("a warning of {}", "DJL")')
        c.expect("WARN Engine: a warning of DJL")
        c.expect(PROMPT)
        c.sendline("exit")
        c.expect(pexpect.EOF, timeout=60)
        self.assertNotIn("setSecurityManager", c.before)

    def test_typing_exit_leaves_the_console_and_ends_the_kernel(self):
        c = self.child
        c.expect(PROMPT)
        c.sendline("int kept = 1;")
        c.expect(PROMPT)
        c.sendline("System.exit(3)")
        c.expect("ExitBlocked: .*in jupyter console, type exit")
        c.expect(PROMPT)
        c.sendline("exit")
        c.expect("asked the front end to end this session")
        c.expect("Shutting down kernel")
        c.expect(pexpect.EOF, timeout=60)
        c.close()
        self.assertEqual(c.exitstatus, 0)

if __name__ == "__main__":
    unittest.main()
