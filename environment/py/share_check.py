"""Checks that executed notebooks can be handed to someone else as they are.

usage: python3 environment/py/share_check.py EXECUTED.ipynb... [--root DIR]

For each notebook:
  * its outputs name no folder of this machine: not the checkout (--root, default the current folder), not the
    home folder, not the temporary folder (a path printed by a cell means nothing on a student's machine, and it
    tells where the teacher's files are);
  * plotly.js travels in exactly one output when the notebook has figures (none without), so the file grows by
    4.8 MB once, not once per figure, and every figure can be drawn;
  * every figure (an output with Plotly JSON) also has image/png and text/plain, and its html holds that PNG as
    a static image, so a viewer without JavaScript, an untrusted notebook and a PDF export still show it;
  * an html table comes with a text/plain of at least one line per row, so a viewer of text alone shows the
    values, not just a caption.
Images and Plotly JSON are not searched for paths (base64 and numbers only); scripts and data: URIs are cut from
the html first. Exit 1 with one line per problem.
"""
import argparse
import json
import os
import re
import sys
import tempfile

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_BANNER = re.compile(r"plotly\.js v\d+\.\d+\.\d+")
SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
TABLE_ROW = re.compile(r"<tr\b", re.IGNORECASE)
STATIC_PNG = re.compile(r"class=\"tpdiff4j-figure\"[^>]*>\s*<img\b[^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")


def text_of(value):
    return "".join(value) if isinstance(value, list) else (value if isinstance(value, str) else json.dumps(value))


def machine_folders(root):
    """Absolute folders of this machine that must not appear in a shared output, each ending in '/'."""
    folders = {os.path.realpath(root), os.path.abspath(root), os.path.expanduser("~"), tempfile.gettempdir(),
               os.path.realpath(tempfile.gettempdir())}
    return sorted({f.rstrip("/") + "/" for f in folders if f and f not in ("/", "")}, key=len, reverse=True)


def searchable_texts(output):
    """(where, text) pairs of an output that a reader sees as text."""
    kind = output.get("output_type")
    if kind == "stream":
        yield "stream " + output.get("name", ""), text_of(output.get("text", ""))
    elif kind == "error":
        yield "error", "\n".join([output.get("ename", ""), output.get("evalue", "")] + output.get("traceback", []))
    else:
        for mime, value in output.get("data", {}).items():
            if mime.startswith("image/") or mime.endswith("json"):
                continue
            text = text_of(value)
            if mime == "text/html":
                text = DATA_URI.sub("data:", SCRIPT.sub("", text))
            yield mime, text


def check(path, folders):
    problems = []
    nb = json.load(open(path, encoding="utf-8"))
    figures, carriers = 0, 0
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            where = "%s, cell %d" % (os.path.basename(path), index)
            for part, text in searchable_texts(output):
                for folder in folders:
                    at = text.find(folder)
                    if at >= 0:
                        problems.append("%s (%s) names a folder of this machine, %s: ...%s..."
                                        % (where, part, folder, text[max(0, at - 30):at + 70].replace("\n", " ")))
                        break
            data = output.get("data", {})
            html = text_of(data.get("text/html", ""))
            if PLOTLY_BANNER.search(html[:200000]) and len(html) > 1000000:
                carriers += 1
            rows = len(TABLE_ROW.findall(SCRIPT.sub("", html)))
            lines = len(text_of(data.get("text/plain", "")).strip().splitlines())
            if rows and lines < rows:
                problems.append("%s: an html table of %d rows whose text/plain has %d line(s): a viewer of text "
                                "alone loses its values" % (where, rows, lines))
            if PLOTLY_MIME in data:
                figures += 1
                png = text_of(data.get("image/png", "")).strip()
                static = STATIC_PNG.search(SCRIPT.sub("", html))
                if not png or "text/plain" not in data:
                    problems.append("%s: a figure without image/png or text/plain" % where)
                elif not static or static.group(1) != png:
                    problems.append("%s: a figure whose html holds no static image (its PNG) for a page "
                                    "without scripts" % where)
    if figures and carriers != 1:
        problems.append("%s: plotly.js is in %d outputs (%d figures); once is enough and needed"
                        % (os.path.basename(path), carriers, figures))
    if not figures and carriers:
        problems.append("%s: plotly.js is in %d outputs but there are no figures" % (os.path.basename(path), carriers))
    return problems, figures, carriers


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--root", default=os.getcwd(), help="the checkout the notebooks ran in (default: here)")
    a = p.parse_args()
    folders = machine_folders(a.root)
    failed = []
    for path in a.notebooks:
        problems, figures, carriers = check(path, folders)
        print("[share-check] %s: %d figures, plotly.js in %d output(s), %d bytes, %s"
              % (os.path.basename(path), figures, carriers, os.path.getsize(path),
                 "ok" if not problems else "%d problem(s)" % len(problems)))
        for line in problems:
            print("[share-check] FAIL: " + line, file=sys.stderr)
        failed += problems
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
