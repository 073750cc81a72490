"""build/jupyter-env, read from Python: the Jupyter command that environment/setup chose.

environment/setup writes that file once, as bash source (PY=... and the array JUPYTER_CMD=(...), each word quoted by
printf %q); the bash commands source it. Python does not parse the quoting itself: bash reads the file and hands the
words over separated by NUL bytes, so a path comes back exactly as setup saw it, whatever its characters (spaces,
quotes, backslashes, and letters outside ASCII, which printf %q writes as $'\\303\\234' under LANG=C).
"""
import os
import subprocess

_READ = 'source "$1" || exit 3; [ "${#JUPYTER_CMD[@]}" -gt 0 ] || exit 4; printf "%s\\0" "${JUPYTER_CMD[@]}"'


class JupyterEnvError(Exception):
    """build/jupyter-env is missing or unreadable; the message says what to do."""


def jupyter_command(path):
    """The Jupyter command of the jupyter-env file `path` as a list of words (["/usr/bin/jupyter"], or
    [python, "-m", "jupyter"]); JupyterEnvError when the file is missing or names no command."""
    try:
        run = subprocess.run(["bash", "-c", _READ, "jupyter-env", path], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise JupyterEnvError("cannot read %s with bash (%s): run environment/setup again" % (path, e))
    if run.returncode != 0:
        why = run.stderr.decode(errors="replace").strip().splitlines()
        raise JupyterEnvError("%s names no Jupyter command (JUPYTER_CMD)%s: run environment/setup again"
                              % (path, " (%s)" % why[-1] if why else ""))
    return [os.fsdecode(w) for w in run.stdout.split(b"\0")[:-1]]
