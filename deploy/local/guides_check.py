#!/usr/bin/env python3
"""Runs the examples of the service guides against a running local system, so that they stay true.

A guide marks each example to run with an HTML comment on the line directly before a ```sh fence:

    <!-- guide-check -->
    ```sh
    curl "$CATALOGUE/certificates/CGBM-2023-ZJ-000170"
    ```

Other fenced blocks are only shown. A guide's marked blocks run in order in ONE bash session (so a later block
uses what an earlier one captured) with `set -euo pipefail`, from the repository root, with the base URLs
CATALOGUE, PILOT, SUBSIDY, COMPLAINTS and REPORTING pointing at the system under test (read from
$GBM_LOCAL_DIR/<service>.port) and GBM_LOCAL_DIR exported, so the guide's `source "${GBM_LOCAL_DIR:-.local/dev}/tokens.env"`
reads that system's tokens. The guides make `curl` fail on an HTTP error (`--fail-with-body`), so a wrong example
fails its block. On a failure this prints the block, where it is in the guide and everything it printed.

    deploy/local/guides_check.py                          # every guide with marked blocks, against .local/dev
    GBM_LOCAL_DIR=.local/system-check deploy/local/guides_check.py docs/catalogue.md
    deploy/local/guides_check.py --list                   # the blocks it would run
    deploy/local/guides_check.py --verbose docs/subsidy.md   # and what each block printed

Guides use fresh identifiers where uniqueness matters, so they can run again against the same system.
Exit status 0 when every guide passed; the last line says `N passed, N failed`.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- guide-check -->"
REPO = Path(__file__).resolve().parents[2]
SERVICES = {
    "CATALOGUE": "catalogue",
    "PILOT": "pilot-management",
    "SUBSIDY": "subsidy",
    "COMPLAINTS": "complaints",
    "REPORTING": "reporting",
}
DELIMITER = "::guide-check:block:"


@dataclass
class Block:
    guide: Path
    line: int  # line of the opening fence, from 1
    code: str


def blocks_of(guide: Path) -> list[Block]:
    """The ```sh blocks directly after a marker line."""
    lines = guide.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() == MARKER:
            fence = index + 1
            if fence >= len(lines) or not re.fullmatch(r"```(sh|bash)\s*", lines[fence].strip()):
                raise SystemExit(f"{guide}:{index + 1}: {MARKER} must be followed directly by a ```sh fence")
            end = fence + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            if end >= len(lines):
                raise SystemExit(f"{guide}:{fence + 1}: the block is not closed")
            found.append(Block(guide, fence + 1, "\n".join(lines[fence + 1:end])))
            index = end
        index += 1
    return found


def script_for(blocks: list[Block]) -> str:
    parts = ["set -euo pipefail", f"cd {quote(str(REPO))}"]
    for number, block in enumerate(blocks, 1):
        parts.append(f"printf '\\n{DELIMITER}{number}\\n'")
        parts.append(block.code)
    parts.append(f"printf '\\n{DELIMITER}end\\n'")
    return "\n".join(parts) + "\n"


def quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def environment(local_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["GBM_LOCAL_DIR"] = str(local_dir)
    for variable, service in SERVICES.items():
        port_file = local_dir / f"{service}.port"
        if not port_file.exists():
            raise SystemExit(f"{port_file} is missing: is the system of {local_dir} running (deploy/local/up.sh)?")
        env[variable] = f"http://127.0.0.1:{port_file.read_text().strip()}"
    if not (local_dir / "tokens.env").exists():
        raise SystemExit(f"{local_dir / 'tokens.env'} is missing: up.sh writes it")
    return env


def run_guide(guide: Path, blocks: list[Block], env: dict[str, str], timeout: float, verbose: bool = False) -> bool:
    started = time.monotonic()
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False, encoding="utf-8") as handle:
        handle.write(script_for(blocks))
        script = handle.name
    try:
        result = subprocess.run(["bash", script], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=timeout, text=True, errors="replace")
        output, status, timed_out = result.stdout, result.returncode, False
    except subprocess.TimeoutExpired as error:
        output = error.stdout.decode("utf-8", "replace") if isinstance(error.stdout, bytes) else (error.stdout or "")
        status, timed_out = -1, True
    finally:
        os.unlink(script)
    # The output of each block follows its delimiter line.
    outputs: dict[str, list[str]] = {"0": []}
    current = "0"
    for line in output.splitlines():
        if line.startswith(DELIMITER):
            current = line[len(DELIMITER):]
            outputs[current] = []
        else:
            outputs.setdefault(current, []).append(line)
    elapsed = time.monotonic() - started
    relative = guide.relative_to(REPO) if guide.is_relative_to(REPO) else guide
    if verbose:
        for number, block in enumerate(blocks, 1):
            print(f"---- {relative} block {number} (line {block.line}) printed:")
            print("\n".join(outputs.get(str(number), [])))
    if status == 0 and "end" in outputs:
        print(f"ok    {relative}: {len(blocks)} blocks in {elapsed:.1f} s")
        return True
    failed = current if current not in ("end", "0") else "0"
    why = f"timed out after {timeout:.0f} s" if timed_out else f"exit status {status}"
    if failed == "0":
        print(f"FAIL  {relative}: before its first block ({why})")
        print("\n".join(outputs.get("0", [])[-40:]))
        return False
    block = blocks[int(failed) - 1]
    print(f"FAIL  {relative}: block {failed} of {len(blocks)} (the fence at line {block.line}) failed: {why}")
    print("---- the block")
    print(block.code)
    print("---- what it printed (the last 60 lines)")
    print("\n".join(outputs.get(failed, [])[-60:]))
    print("----")
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("guides", nargs="*", type=Path,
                        help="guides to run (default: every docs/*.md with a marked block)")
    parser.add_argument("--local-dir", type=Path,
                        default=Path(os.environ.get("GBM_LOCAL_DIR") or REPO / ".local" / "dev"),
                        help="the state directory of the running system (default: $GBM_LOCAL_DIR or .local/dev)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one guide may take (default 600)")
    parser.add_argument("--list", action="store_true", help="print the blocks that would run, and run nothing")
    parser.add_argument("--verbose", action="store_true", help="print what every block printed")
    arguments = parser.parse_args()

    guides = [g.resolve() for g in arguments.guides] or sorted(
        g for g in (REPO / "docs").glob("*.md") if MARKER in g.read_text(encoding="utf-8"))
    plan = [(guide, blocks_of(guide)) for guide in guides]
    if arguments.list:
        for guide, blocks in plan:
            for number, block in enumerate(blocks, 1):
                print(f"# {guide.relative_to(REPO)} block {number} (line {block.line})\n{block.code}\n")
        return 0
    empty = [str(guide) for guide, blocks in plan if not blocks]
    if empty:
        raise SystemExit(f"no {MARKER} block in: {', '.join(empty)}")
    env = environment(arguments.local_dir.resolve())
    passed = failed = 0
    for guide, blocks in plan:
        if run_guide(guide, blocks, env, arguments.timeout, arguments.verbose):
            passed += 1
        else:
            failed += 1
    print(f"guides: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
