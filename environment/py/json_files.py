"""JSON files of the environment scripts (the kernelspec, build/notebooks/timings.json) written whole or not at all.

`json.dump(data, open(path, "w"))` truncates the file first and leaves the write of a small file to the moment the file
object is collected, where Python ignores an error: on a full disk the file is left empty or cut off and the script
goes on with exit status 0. `write` writes a temporary file beside the target, closes and flushes it to disk, and
renames it over the target, so a reader sees the old file or the whole new one; on an error the temporary file is
removed and the old file kept. `write_or_exit` ends the script with one line that names the file, the system's reason
and what to do.
"""
import errno
import json
import os
import shutil
import sys
import tempfile


def write(path, data, **dump_args):
    """Writes `data` as JSON (UTF-8) to `path` atomically; raises OSError (the old file kept) when it cannot."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, **dump_args)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # the permissions of any new file, not mkstemp's owner-only ones
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def reason(path, error):
    """The system's reason for `error` in words, with what to do about it."""
    folder = os.path.dirname(os.path.abspath(path))
    words = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        existing = folder
        while existing and not os.path.isdir(existing):
            existing = os.path.dirname(existing)
        free = shutil.disk_usage(existing).free if existing else None
        return "%s (%s bytes free there): free space on that disk and run the command again" % (
            words, "?" if free is None else free)
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "%s: the folder %s must be writable by this user" % (words, folder)
    if error.errno == errno.ENOTDIR:
        return "%s: a part of the path %s is a file, not a folder" % (words, folder)
    return words


def write_or_exit(path, data, who, **dump_args):
    """`write`, or the end of the script with "[who] cannot write PATH: reason" on standard error (exit status 1)."""
    try:
        write(path, data, **dump_args)
    except OSError as e:
        sys.exit("[%s] cannot write %s: %s" % (who, path, reason(path, e)))
