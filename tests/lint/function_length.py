#!/usr/bin/env python3
"""No function or lambda over 70 lines (docs/STYLE.md "Functions short enough to read at once").

Reads every .cc and .h under the folders given (default: the project's libraries), blanks out
comments and string literals (raw strings included), matches braces, and reports each function
body and each lambda body longer than the limit, counted from the line of its opening brace to the
line of its closing one. A function that cannot be split yet is listed in ALLOWED with the reason;
an entry that no longer needs to be there is reported too, so that the list only shrinks.

  python3 tests/lint/function_length.py [--root DIR] [--list] [FOLDER...]
"""
import argparse
import os
import re
import sys

LIMIT = 70
FOLDERS = ["cli", "engine", "grammar", "ledger", "util", "web", "tlog", "county"]

# (path, function name): why it is still long.
ALLOWED = {}


def blank_literals(text):
    """`text` with comments, string and character literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"' or c == "'":
            m = re.match(r'R"([^()\\\s]{0,16})\(', text[i - 1:i + 20]) if i > 0 and text[i - 1] == "R" else None
            if c == '"' and m:
                end = ")" + m.group(1) + '"'
                j = text.find(end, i)
                j = n if j < 0 else j + len(end)
            else:
                j = i + 1
                while j < n and text[j] != c and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


LAMBDA = re.compile(r"\]\s*(\([^;{}]*\))?\s*(mutable|constexpr|noexcept|\s)*(->[^;{}=]*)?$")
NAME = re.compile(r"([~\w:]+(?:<[^()]*>)?|operator\s*\S+)\s*\([^;{}]*$")


def scan(path, text):
    """(lines, path, line, name) of each function or lambda body in `text`."""
    code = blank_literals(text)
    found, stack = [], []  # stack of (kind, line, name)
    head_start = 0
    line = 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c in ";":
            head_start = i + 1
        elif c == "{":
            head = " ".join(code[head_start:i].split())
            top = all(kind in ("namespace", "class") for kind, _, _ in stack)
            if re.search(r"\bnamespace\b|\bextern\s*\"\s*\"$|\bextern$", head):
                kind = "namespace"
            elif LAMBDA.search(head) and not re.search(r"\[\[[^\]]*\]\]$", head):
                kind = "lambda"
            elif re.search(r"\b(struct|class|enum|union)\b", head) and "(" not in head:
                kind = "class"
            elif top and "(" in head and not re.search(r"=\s*$", head):
                kind = "function"
            else:
                kind = "block"
            m = NAME.search(head)
            name = m.group(1) if kind == "function" and m else kind
            if kind == "lambda":
                enclosing = [n for k, _, n in stack if k == "function"]
                name = (enclosing[-1] if enclosing else "") + " lambda"
            stack.append((kind, line, name))
            head_start = i + 1
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind in ("function", "lambda"):
                    found.append((line - start + 1, path, start, name))
            head_start = i + 1
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    parser.add_argument("--list", action="store_true", help="print every function over the limit")
    parser.add_argument("folders", nargs="*", default=FOLDERS)
    args = parser.parse_args()
    long_ones = []
    for folder in args.folders:
        for directory, _, files in os.walk(os.path.join(args.root, folder)):
            for f in sorted(files):
                if not f.endswith((".cc", ".h")):
                    continue
                path = os.path.join(directory, f)
                relative = os.path.relpath(path, args.root)
                with open(path, encoding="utf-8", errors="replace") as file:
                    long_ones += [r for r in scan(relative, file.read()) if r[0] > LIMIT]
    long_ones.sort(reverse=True)
    failed = False
    seen = set()
    for lines, path, line, name in long_ones:
        key = (path, name.split("::")[-1])
        seen.add(key)
        allowed = key in ALLOWED
        if args.list or not allowed:
            print(f"{path}:{line}: {name}: {lines} lines" + (f" (allowed: {ALLOWED[key]})" if allowed else ""))
        failed = failed or not allowed
    for key in sorted(set(ALLOWED) - seen):
        print(f"{key[0]}: {key[1]}: allowed to be long but no longer is; remove it from ALLOWED")
        failed = True
    if failed:
        print(f"functions over {LIMIT} lines: split them (docs/STYLE.md), control flow in the caller")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
