"""Argument types for the argparse command lines of environment/render-check and environment/live-check: a value out
of range is refused by argparse (exit 2) with the option, the value and what the option takes."""
import argparse


def whole_number(minimum, what):
    """An argparse type: a whole number of at least `minimum`; `what` names the unit for the message ("seconds")."""
    def parse(text):
        try:
            n = int(text)
        except ValueError:
            n = None
        if n is None or n < minimum:
            raise argparse.ArgumentTypeError("'%s'; allowed: a whole number of %s, at least %d" % (text, what, minimum))
        return n
    return parse
