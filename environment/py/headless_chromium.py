"""Headless Chromium as the checks of this tree run it (environment/render-check, environment/live-check).

One list of command-line flags: headless, no sandbox (CI runs as root), no GPU, and every background network
feature off (QUIC, component updates, sync, default apps), so a check loads only what its page asks for.
Each run adds its own fresh --user-data-dir.
"""
import shutil

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
         "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]


def chromium():
    """The Chromium binary on PATH (Debian's `chromium` first), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromedriver():
    """The chromedriver on PATH (Debian package chromium-driver), or None."""
    return shutil.which("chromedriver")
