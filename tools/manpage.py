#!/usr/bin/env python3
"""Writes man pages (section 1) generated from the commands' own help: manifoldlab.1 and one
manifoldlab-CMD.1 per subcommand, from `manifoldlab --experimental-dump-help` (swift-argument-parser's
description of every command, option, default and text).
Usage: tools/manpage.py BINARY OUTPUT_DIRECTORY
"""
import datetime, json, os, subprocess, sys


def roff(text):
    """Text safe in roff: backslashes doubled, a leading dot or quote escaped."""
    lines = (text or "").replace("\\", "\\e").split("\n")
    return "\n".join(".PP" if not l.strip() else ("\\&" + l if l[:1] in ".'" else l) for l in lines)


def page(command, parents, version):
    name = "-".join(parents + [command["commandName"]])
    out = [f'.TH {name.upper()} 1 "{datetime.date.today()}" "manifoldlab {version}" "User Commands"',
           ".SH NAME", f"{name} \\- {roff(command.get('abstract', ''))}", ".SH SYNOPSIS",
           f".B {' '.join(parents + [command['commandName']])}" + (" [\\fIoptions\\fR]" if command.get("arguments") else "")]
    if command.get("discussion"):
        out += [".SH DESCRIPTION", roff(command["discussion"])]
    arguments = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)]
    if arguments:
        out.append(".SH OPTIONS")
        for a in arguments:
            names = ", ".join(("--" if n["kind"] == "long" else "-") + n["name"] for n in a.get("names", [])) or f"<{a.get('valueName', '')}>"
            value = f" <{a['valueName']}>" if a.get("kind") == "option" else ""
            default = f" (default: {a['defaultValue']})" if a.get("defaultValue") not in (None, "") else ""
            out += [".TP", f"\\fB{roff(names)}\\fR{roff(value)}", roff(a.get("abstract", "") + default)]
    subcommands = [s for s in command.get("subcommands", []) if s.get("shouldDisplay", True)]
    if subcommands:
        out.append(".SH COMMANDS")
        for s in subcommands:
            out += [".TP", f"\\fB{s['commandName']}\\fR", roff(s.get("abstract", "")) + f" See \\fB{name}-{s['commandName']}\\fR(1)."]
    out += [".SH SEE ALSO", "The README and docs/ of the manifoldlab repository; docs/vocabulary.md lists every option."]
    return name, "\n".join(out) + "\n"


def main():
    binary, directory = sys.argv[1], sys.argv[2]
    dump = json.loads(subprocess.run([binary, "--experimental-dump-help"], capture_output=True, check=True, text=True).stdout)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    root = dump["command"]
    os.makedirs(directory, exist_ok=True)
    pages = [page(root, [], version)] + [page(s, [root["commandName"]], version) for s in root.get("subcommands", []) if s["commandName"] != "help"]
    for name, text in pages:
        with open(os.path.join(directory, name + ".1"), "w") as f:
            f.write(text)
    print(f"wrote {len(pages)} man pages in {directory}")


if __name__ == "__main__":
    main()
