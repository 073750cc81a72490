# Shared by the bash commands of environment/ (sourced, not run).
#
# require_writable_checkout NAME: stops the command NAME (environment/NAME) with exit status 1 unless it can write
# into build/ of the checkout $root (the caller's variable); the message names the checkout and the system's reason.
# Every command that builds, or writes results under build/, calls it before its first step, so that a read-only
# checkout is refused at once instead of failing minutes later inside Maven or Java.
require_writable_checkout() {
  local name="$1" why
  if ! why="$(mkdir -p "$root/build" 2>&1 && touch "$root/build/.writable" 2>&1 && rm -f "$root/build/.writable")"; then
    echo "[$name] cannot write into the checkout $root (${why:-no permission}): environment/$name builds and writes" \
         "build/ there; clone it into a folder of yours (git clone '$root' ~/tpdiff4j) and run environment/$name" \
         "there" >&2
    exit 1
  fi
}

# quick_mode NAME: prints "quick" or "full" for TPDIFF4J_QUICK read as the kernel reads it (tpdiff4j.kernel.Knobs.flag:
# 1, true, yes, on turn it on; 0, false, no, off, blank or unset turn it off; case and surrounding blanks ignored), or
# stops the command NAME with exit status 2 naming the value and the allowed words. Call it as
# mode="$(quick_mode NAME)" || exit 2, before any set-up.
quick_mode() {
  local name="$1" v="${TPDIFF4J_QUICK:-}"
  v="${v#"${v%%[![:space:]]*}"}"
  v="${v%"${v##*[![:space:]]}"}"
  case "${v,,}" in
    1|true|yes|on) echo quick ;;
    ""|0|false|no|off) echo full ;;
    *) echo "[$name] TPDIFF4J_QUICK = '$TPDIFF4J_QUICK'; allowed: 1, true, yes or on to turn it on; 0, false, no," \
            "off or unset to turn it off" >&2
       return 2 ;;
  esac
}
