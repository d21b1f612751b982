"""How often the injection screen flags real files pasted whole, which it never saw: the
licence texts and METADATA of the installed packages and the standard library's own
Python files, drawn at random (fixed seed) from this interpreter's installation.

    python bench/injection_documents.py [--seed N]

Prints, per kind, how many of the files drawn were flagged at the shipped threshold.
The figures depend on what is installed; they are for comparing two screens on one
machine, not across machines.
"""

from __future__ import annotations

import argparse
import random
import sysconfig
from pathlib import Path

from seawall.embed import shared
from seawall.guard.injection import InjectionScreen

DRAWN = {"licences": 40, "stdlib": 60, "metadata": 40}


def files() -> dict[str, list[Path]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    packages = Path(sysconfig.get_paths()["purelib"])
    licences = sorted(packages.glob("*.dist-info/LICEN[CS]E*"))
    licences += sorted(packages.glob("*.dist-info/licenses/*"))
    return {
        "licences": licences,
        "stdlib": sorted(stdlib.glob("*.py")),
        "metadata": sorted(packages.glob("*.dist-info/METADATA")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    screen = InjectionScreen.default(embedder=shared())
    rng = random.Random(args.seed)
    for kind, found in files().items():
        found = [f for f in found if f.is_file() and f.stat().st_size > 200]
        drawn = rng.sample(found, min(len(found), DRAWN[kind]))
        flagged = [
            f.name if kind == "stdlib" else f.parent.name
            for f in drawn
            if screen.check(f.read_text(errors="replace")).flagged
        ]
        print(f"{kind:<9} {len(flagged):>3} of {len(drawn):<3} flagged  {' '.join(flagged[:8])}")


if __name__ == "__main__":
    main()
