#!/usr/bin/env python3
"""Refreshes the outputs pasted in README.md from the built binary (.build/release/manifoldlab).

Every `$ manifoldlab ...` line inside a ```text block is run, in order, in one scratch directory
(so `train-toy --out run` then `walk --run run` works). Each line pasted under a command is replaced
by the output line of the same shape (the same text once numbers are masked); a line ending in
`...` (U+2026) keeps its length as a prefix, a lone `...` keeps standing for lines left out (a line
after it is matched with the last line of the first later run of lines of its shape: a table's tail). The
README's choice of lines stays; only their numbers change. `ReadmeTests` checks the result.
Usage: python3 Tests/readme-outputs.py [README.md]
"""
import os, re, shlex, subprocess, sys, tempfile

ELLIPSIS = "\u2026"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "manifoldlab")


def shape(line):
    """The line with every number masked and spaces collapsed: lines of one shape differ only in
    their numbers (and the column padding that follows their widths)."""
    return re.sub(r"\s+", " ", re.sub(r"-?[0-9][0-9.e+-]*", "#", line)).strip()


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "README.md")
    lines = open(path, encoding="utf-8").read().split("\n")
    scratch = tempfile.mkdtemp(prefix="manifoldlab-readme-")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    in_text, i, changed = False, 0, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            in_text = line == "```text"
            i += 1
            continue
        if not (in_text and line.startswith("$ manifoldlab ")):
            i += 1
            continue
        command = line[len("$ manifoldlab "):].split("#")[0]
        run = subprocess.run([BINARY] + shlex.split(command), cwd=scratch, env=env, capture_output=True, text=True)
        actual = (run.stdout + run.stderr).split("\n")
        position, j = 0, i + 1
        while j < len(lines) and not lines[j].startswith("$ ") and not lines[j].startswith("```"):
            expected = lines[j]
            if expected.strip() in ("", ELLIPSIS):
                j += 1
                continue
            prefix = expected.endswith(ELLIPSIS)
            key = shape(expected[:-1] if prefix else expected)
            after_gap = j > i + 1 and lines[j - 1].strip() == ELLIPSIS
            for k in range(position, len(actual)):
                candidate = actual[k]
                if (shape(candidate).startswith(key) if prefix else shape(candidate) == key):
                    # After a lone ellipsis, the last line of a run of lines of this shape (a table's tail).
                    while after_gap and not prefix and k + 1 < len(actual) and shape(actual[k + 1]) == key:
                        k += 1
                    candidate = actual[k]
                    if prefix:  # as long as the pasted line, cut after a comma or space
                        cut = candidate[:len(expected) - 1]
                        if len(candidate) > len(cut) and candidate[len(cut)] not in ", ":  # inside a word
                            cut = cut[:max(cut.rfind(","), cut.rfind(" ")) + 1] or cut
                        new = cut + ELLIPSIS
                    else:
                        new = candidate
                    if new != expected:
                        lines[j] = new
                        changed += 1
                    position = k + 1
                    break
            else:
                print(f"no line of this shape in `manifoldlab {command.strip()}`:\n  {expected}", file=sys.stderr)
            j += 1
        i = j
    open(path, "w", encoding="utf-8").write("\n".join(lines))
    print(f"{changed} lines refreshed in {path}")


if __name__ == "__main__":
    main()
