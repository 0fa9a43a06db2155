#!/usr/bin/env python3
"""Anchor/docker comparison suite (issue 12, "How it is checked").

  compare.py run   --engine NAME --cmd 'ENGINE COMMAND' --root DIR --busybox TAR --out FILE
  compare.py check --results FILE          (anchor results against the recordings)
  compare.py draft --results FILE          (print a classification draft: same where equal)

`run` executes every step of scenarios.txt with `sh -c`, $ENGINE set to the engine command,
$BUSYBOX_TAR to the busybox rootfs tarball and $WORK to a scratch directory (also the working
directory), then writes the normalised stdout, stderr and exit code of each compared step as JSON.
Only the python3 standard library is used (CI installs no pip packages).
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "scenarios.txt")
CLASSIFICATION = os.path.join(HERE, "classification.txt")
DOCKER_RECORDING = os.path.join(HERE, "recorded", "docker-20.10", "results.json")
ANCHOR_RECORDING = os.path.join(HERE, "recorded", "anchor", "results.json")
STEP_TIMEOUT = 30
FIELDS = {"o": "stdout", "e": "stderr", "x": "exit"}


class Step:
    def __init__(self, sid, compare, options, command, line):
        self.id = sid
        self.compare = compare
        self.options = options
        self.command = command
        self.line = line


def parse_scenario(path=SCENARIO):
    """Lines: `# comment`, `@ COMMAND` (setup: run, not compared) or `ID FIELDS[,OPTION...] COMMAND`.

    FIELDS is any of o (stdout), e (stderr), x (exit code); OPTIONs: sort (sort stdout lines),
    nums (every number becomes N), nospace (ignore all whitespace).
    """
    steps, seen = [], set()
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("@"):
                steps.append(Step(None, "", [], line[1:].strip(), number))
                continue
            parts = line.split(None, 2)
            if len(parts) < 3:
                raise SystemExit(f"{path}:{number}: expected ID FIELDS COMMAND")
            sid, spec, command = parts
            fields, *options = spec.split(",")
            if not fields or any(c not in FIELDS for c in fields):
                raise SystemExit(f"{path}:{number}: bad fields {spec!r}")
            if sid in seen:
                raise SystemExit(f"{path}:{number}: duplicate id {sid}")
            seen.add(sid)
            steps.append(Step(sid, fields, options, command, number))
    return steps


HEX64 = re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{64}(?![0-9a-zA-Z])")
HEX40 = re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{40}(?![0-9a-zA-Z])")
HEX12 = re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{12}(?![0-9a-zA-Z])")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
SPACE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?( [+-]\d{4})?( [A-Z]{2,5})?")
# Unix times of 2023..2033, in seconds (optionally with a fraction) or nanoseconds; durations in
# nanoseconds (health check intervals) are rounder and left alone.
UNIX_TIME = re.compile(r"(?<![0-9.])1[7-9]\d{8}(\d{9}|\.\d{1,9})?(?![0-9])")
AGO = re.compile(r"(\d+|About an?|Less than a) (second|minute|hour|day|week|month|year)s? ago")
UP = re.compile(r"Up (\d+|About an?|Less than a) (second|minute|hour|day|week|month|year)s?")
SIZE = re.compile(r"(?<![\w.])\d+(\.\d+)?\s?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB)(?![A-Za-z])")
IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")
MAC = re.compile(r"(?<![0-9a-fA-F:])([0-9a-f]{2}:){5}[0-9a-f]{2}(?![0-9a-fA-F:])")
ENGINE = re.compile(r"(?<![\w-])(docker|anchor)(?![\w-])", re.IGNORECASE)
NUMBER = re.compile(r"\d+")
DOCKER_CLIENT_NOISE = re.compile(r'^time="<TIME>" level=error msg="error waiting for container: context canceled"\n?', re.MULTILINE)


def normalise(text, step, work, root):
    """What may differ between two runs of one engine, or between engines by nature, becomes a placeholder."""
    text = text.replace("\r\n", "\n")
    for path, name in ((work, "<WORK>"), (root, "<ROOT>")):
        if path:
            text = text.replace(path, name)
    ids = {}

    def long_id(m):
        return "<ID%d>" % ids.setdefault(m.group(0), len(ids) + 1)

    text = HEX64.sub(long_id, text)

    def short_id(m):
        for full, n in ids.items():
            if full.startswith(m.group(0)):
                return "<ID%d>" % n
        return "<ID%d>" % ids.setdefault(m.group(0), len(ids) + 1)

    text = HEX12.sub(short_id, text)
    text = HEX40.sub("<COMMIT>", text)  # the git commit in a version (anchor 1.0.0+SHA1)
    text = ISO_TIME.sub("<TIME>", text)
    text = SPACE_TIME.sub("<TIME>", text)
    text = UNIX_TIME.sub("<UNIX>", text)
    text = AGO.sub("<AGO>", text)
    text = UP.sub("Up <DUR>", text)
    text = SIZE.sub("<SIZE>", text)

    def ip(m):
        if m.group(0) in step.command or m.group(0) in ("127.0.0.1", "0.0.0.0"):
            return m.group(0)
        return "<IP>"

    text = IPV4.sub(ip, text)
    text = MAC.sub(lambda m: m.group(0) if m.group(0) in step.command else "<MAC>", text)
    text = ENGINE.sub("ENGINE", text)
    # docker 20.10's client sometimes logs this after a failed `run` (a race in its wait): noise.
    text = DOCKER_CLIENT_NOISE.sub("", text)
    if "nums" in step.options:
        text = NUMBER.sub("N", text)
    # Tables are padded to their widest cell; placeholders change widths, so runs of spaces are one gap.
    lines = [re.sub(r"[ \t]{2,}", "  ", l.rstrip()) for l in text.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    if "sort" in step.options:
        lines.sort()
    if "nospace" in step.options:
        lines = [re.sub(r"\s+", "", l) for l in lines]
    return "\n".join(lines)


def run(args):
    steps = parse_scenario()
    work = tempfile.mkdtemp(prefix="cmp-work-")
    env = dict(os.environ, ENGINE=args.cmd, WORK=work, BUSYBOX_TAR=os.path.abspath(args.busybox), LC_ALL="C")
    results = {}
    started = time.monotonic()
    for step in steps:
        proc = subprocess.Popen(["sh", "-c", step.command], cwd=work, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=STEP_TIMEOUT)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            code = "timeout"
        if step.id is None:
            if args.verbose and code != 0:
                print(f"setup line {step.line} exited {code}: {err.decode(errors='replace').strip()}", file=sys.stderr)
            continue
        results[step.id] = {
            "command": step.command,
            "compare": step.compare,
            "stdout": normalise(out.decode("utf-8", errors="replace"), step, work, args.root),
            "stderr": normalise(err.decode("utf-8", errors="replace"), step, work, args.root),
            "exit": code,
        }
        if args.verbose:
            print(f"{step.id}: {code}", file=sys.stderr)
    subprocess.run(["rm", "-rf", work])
    document = {"engine": args.engine, "version": args.version or "", "results": results}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(results)} invocations against {args.engine} in {time.monotonic() - started:.0f}s -> {args.out}")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["results"]


def parse_classification(path=CLASSIFICATION):
    """Lines `ID same`, `ID harmless REASON`, `ID different REASON`, `ID missing REASON`."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            kind = parts[1] if len(parts) > 1 else ""
            if kind not in ("same", "harmless", "different", "missing") or (kind != "same" and len(parts) < 3):
                raise SystemExit(f"{path}:{number}: expected ID same|harmless|different|missing [REASON]")
            table[parts[0]] = (kind, parts[2] if len(parts) > 2 else "")
    return table


def differing_fields(a, b, compare):
    return [FIELDS[c] for c in compare if a.get(FIELDS[c]) != b.get(FIELDS[c])]


def check(args):
    anchor = load(args.results)
    docker = load(DOCKER_RECORDING)
    recorded_anchor = load(ANCHOR_RECORDING)
    table = parse_classification()
    steps = [s for s in parse_scenario() if s.id is not None]
    counts = {"same": 0, "harmless": 0, "different": 0, "missing": 0}
    failures, improvements = [], []
    for step in steps:
        if step.id not in table:
            failures.append(f"{step.id}: not classified in classification.txt")
            continue
        kind, reason = table[step.id]
        counts[kind] += 1
        mine, theirs = anchor.get(step.id), docker.get(step.id)
        if mine is None or theirs is None:
            failures.append(f"{step.id}: no result ({'anchor' if mine is None else 'docker recording'})")
            continue
        diff = differing_fields(mine, theirs, step.compare)
        if kind == "same" and diff:
            failures.append(f"{step.id}: classified same, differs from docker in {', '.join(diff)}\n"
                            + describe(step, mine, theirs, diff))
        elif kind == "harmless" and diff:
            before = recorded_anchor.get(step.id)
            changed = differing_fields(mine, before, step.compare) if before else ["(no anchor recording)"]
            if changed:
                failures.append(f"{step.id}: classified harmless ({reason}), but anchor's {', '.join(changed)} changed from the recording\n"
                                + describe(step, mine, before or {}, changed, "recorded anchor"))
        elif kind in ("different", "missing", "harmless") and not diff:
            improvements.append(f"{step.id}: now matches docker (classified {kind}): reclassify as same")
    for id_ in table:
        if id_ not in {s.id for s in steps}:
            failures.append(f"{id_}: classified but not in scenarios.txt")
    print(f"comparison suite: {len(steps)} invocations: same {counts['same']}, harmless {counts['harmless']}, "
          f"different {counts['different']}, missing {counts['missing']}")
    for line in improvements:
        print("improved: " + line)
    for line in failures:
        print("FAIL: " + line)
    return 1 if failures else 0


def describe(step, mine, theirs, fields, other="docker"):
    out = [f"  command: {step.command}"]
    for field in fields:
        out.append(f"  anchor {field}: {mine.get(field)!r}")
        out.append(f"  {other} {field}: {theirs.get(field)!r}")
    return "\n".join(out)


def draft(args):
    anchor = load(args.results)
    docker = load(DOCKER_RECORDING)
    old = parse_classification() if os.path.exists(CLASSIFICATION) else {}
    for step in parse_scenario():
        if step.id is None:
            continue
        mine, theirs = anchor.get(step.id, {}), docker.get(step.id, {})
        diff = differing_fields(mine, theirs, step.compare)
        if not diff:
            print(f"{step.id} same")
        elif step.id in old and old[step.id][0] != "same":
            print(f"{step.id} {old[step.id][0]} {old[step.id][1]}")
        else:
            print(f"{step.id} different TODO {','.join(diff)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    r = sub.add_parser("run")
    r.add_argument("--engine", required=True, help="docker or anchor (a label in the results)")
    r.add_argument("--cmd", required=True, help="the engine command line $ENGINE stands for")
    r.add_argument("--root", default="", help="the engine's state directory, normalised to <ROOT>")
    r.add_argument("--busybox", required=True, help="busybox rootfs tarball, imported by the scenario")
    r.add_argument("--version", default="", help="the engine's version, kept in the results")
    r.add_argument("--out", required=True)
    r.add_argument("-v", "--verbose", action="store_true")
    c = sub.add_parser("check")
    c.add_argument("--results", required=True)
    d = sub.add_parser("draft")
    d.add_argument("--results", required=True)
    args = parser.parse_args()
    if args.verb == "run":
        run(args)
        return 0
    if args.verb == "check":
        return check(args)
    draft(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
