"""Build hook: with DIPLOSTREAM_COMPILE=1, the extractor's pure core is compiled with mypyc.

Everything else about the package is in pyproject.toml. mypyc turns the type-annotated
modules below into a C extension, the same source run about 1.5 times faster; it is
what the image ships and what ``make bench`` measures. Development installs (``make
test``, ``pip install -e .``) stay interpreted, so an edit takes effect without a
rebuild: a compiled module next to its source would silently shadow the edit.
The build needs mypy and a C compiler; ``make compiled`` sets one up.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

# The modules the extractor spends its time in: pure Python, no Kafka or Faust import.
COMPILED = [
    "streams/core/actors.py",
    "streams/core/assembly.py",
    "streams/core/carry.py",
    "streams/core/dates.py",
    "streams/core/extract.py",
    "streams/core/identity.py",
    "streams/core/lexicon.py",
    "streams/core/parties.py",
    "streams/core/patterns.py",
    "streams/core/references.py",
    "streams/core/roles.py",
    "streams/core/rules/invitations.py",
    "streams/core/rules/sanction_warnings.py",
    "streams/core/rules/summits.py",
    "streams/core/rules/visits.py",
    "streams/core/sentence.py",
    "streams/core/status.py",
    "streams/core/text.py",
    "streams/core/wordpatterns.py",
]


# setuptools commands that leave extensions beside the sources
IN_PLACE = {"editable_wheel", "develop", "--inplace"}


def ext_modules() -> list:
    if os.environ.get("DIPLOSTREAM_COMPILE", "0") != "1":
        return []
    if IN_PLACE & set(sys.argv):
        sys.exit("DIPLOSTREAM_COMPILE=1 builds wheels and regular installs, not editable ones (see setup.py)")
    from mypyc.build import mypycify

    # the C compiler's optimisation level: 3 for the image and the benchmarks; the test of the build sets 0,
    # which compiles the same code (the same behaviour) with less work
    return mypycify(COMPILED, opt_level=os.environ.get("DIPLOSTREAM_COMPILE_OPT_LEVEL", "3"))


setup(ext_modules=ext_modules())
