#!/usr/bin/env python3
"""Runs GradBench evals against tools and prints the table of ratios: what GradBench's Rust CLI
does (relaying the eval's messages to the tool and back), which cannot run offline here.

  relay.py --gradbench DIR --adjoint 'java ... GradBenchTool' [--evals lse llsq ...]
           [--args-EVAL '...'] [--log FILE]

Each eval runs twice in one run of this script, against the Adjoint tool and against
GradBench's hand-written C++ tool ("manual"). A workload's time is the fastest of the tool's
evaluate runs (the eval asks for at least one run and one second); an eval's figure is the sum
over its workloads. Ratios: Adjoint's derivative time / manual's, and Adjoint's derivative time
/ Adjoint's objective time."""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time

# eval -> (objective function, derivative function)
FUNCTIONS = {
    "hello": ("square", "double"),
    "lse": ("primal", "gradient"),
    "llsq": ("primal", "gradient"),
    "kmeans": ("cost", "dir"),
    "det": ("primal", "gradient"),
    "gmm": ("objective", "jacobian"),
    "ode": ("primal", "gradient"),
    "lstm": ("objective", "jacobian"),
    "ba": ("objective", "jacobian"),
    "ht": ("objective", "jacobian"),
    "saddle": (None, "rr"),  # four variants of one nested computation: rr, rf, fr, ff
    "particle": (None, "rr"),  # the same four
}


def run_eval(gradbench, eval_name, tool_cmd, eval_args, log):
    env = dict(os.environ)
    here = os.path.dirname(os.path.abspath(__file__))
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.join(gradbench, "python", "gradbench"), os.path.join(here, "shim")])
    ev = subprocess.Popen(
        [sys.executable, "-m", f"gradbench.evals.{eval_name}.run"] + eval_args,
        cwd=gradbench, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    tool = subprocess.Popen(tool_cmd, cwd=gradbench, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, shell=isinstance(tool_cmd, str))
    evaluations = {}  # id -> record
    try:
        for line in ev.stdout:
            message = json.loads(line)
            if log:
                log.write(json.dumps({"eval": eval_name, "message": message})[:2000] + "\n")
            tool.stdin.write(line)
            tool.stdin.flush()
            if message["kind"] == "end":
                break
            answer = tool.stdout.readline()
            if not answer:
                raise RuntimeError(f"the tool closed its output during {eval_name}")
            response = json.loads(answer)
            if log:
                log.write(json.dumps({"eval": eval_name, "response": response})[:2000] + "\n")
            kind = message["kind"]
            if kind == "define" and not response.get("success"):
                raise RuntimeError(f"define failed: {response.get('error')}")
            if kind == "evaluate":
                times = [t["nanoseconds"] for t in response.get("timings") or []
                         if t["name"] == "evaluate"]
                evaluations[message["id"]] = {
                    "function": message["function"],
                    "description": message.get("description", ""),
                    "success": response.get("success"),
                    "error": response.get("error"),
                    "seconds": min(times) / 1e9 if times else None,
                    "valid": None,
                }
            if kind == "analysis" and message["of"] in evaluations:
                evaluations[message["of"]]["valid"] = message["valid"]
                if not message["valid"]:
                    evaluations[message["of"]]["error"] = message.get("error")
            ev.stdin.write(answer)
            ev.stdin.flush()
    finally:
        for p in (ev, tool):
            try:
                p.stdin.close()
            except OSError:
                pass
        ev.wait()
        tool.wait()
    return list(evaluations.values())


def total(records, function):
    rs = [r for r in records if r["function"] == function and r["seconds"] is not None]
    return sum(r["seconds"] for r in rs), len(rs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gradbench", required=True)
    parser.add_argument("--adjoint", required=True, help="the command that runs the tool")
    parser.add_argument("--evals", nargs="+", default=["hello", "lse", "llsq", "kmeans"])
    parser.add_argument("--log")
    args, rest = parser.parse_known_args()
    # --args-EVAL "..." passes options to one eval (its workloads)
    extra = {}
    i = 0
    while i < len(rest):
        if rest[i].startswith("--args-"):
            extra[rest[i][len("--args-"):]] = shlex.split(rest[i + 1])
            i += 2
        else:
            sys.exit(f"unknown argument {rest[i]}")
    manual = [sys.executable, "python/gradbench/gradbench/cpp.py", "manual"]
    log = open(args.log, "w") if args.log else None
    rows = []
    failures = 0
    for e in args.evals:
        obj, der = FUNCTIONS[e]
        if e == "ht" and "ht" not in extra and not os.path.exists(os.path.join(
                args.gradbench, "evals", "ht", "data", "complicated_big",
                "hand12_t26_c100000.txt")):  # the eval's default variant and model
            # the largest hand is a large file that some snapshots of GradBench lack
            extra["ht"] = ["--max", "11"]
            print("note: ht without its 12th workload (hand12 is absent)", file=sys.stderr)
        t0 = time.time()
        ours = run_eval(args.gradbench, e, args.adjoint, extra.get(e, []), log)
        has_manual = os.path.exists(os.path.join(args.gradbench, "tools", "manual", e + ".cpp"))
        theirs = run_eval(args.gradbench, e, manual, extra.get(e, []), log) if has_manual else []
        bad = [r for r in ours if not r["success"] or r["valid"] is False]
        failures += len(bad)
        for r in bad:
            print(f"{e} {r['function']} {r['description']}: "
                  f"{'invalid' if r['success'] else 'failed'}: {r['error']}", file=sys.stderr)
        ao, n = total(ours, obj)
        ad, nd = total(ours, der)
        n = n or nd
        mo, _ = total(theirs, obj)
        md, _ = total(theirs, der)
        checked = sum(1 for r in ours if r["valid"] is True)
        rows.append((e, n, ao, ad, mo, md, checked, len(ours), time.time() - t0))
    print()
    print(f"{'eval':8} {'loads':>5} {'adjoint obj':>12} {'adjoint der':>12} {'manual obj':>11} "
          f"{'manual der':>11} {'der/manual':>10} {'der/obj':>8} {'valid':>7}")
    for e, n, ao, ad, mo, md, checked, count, secs in rows:
        ratio = ad / md if md else float("nan")  # nan: manual lacks the eval
        cost = ad / ao if ao else float("nan")  # nan: the eval has no separate objective
        print(f"{e:8} {n:5d} {ao * 1e3:10.3f}ms {ad * 1e3:10.3f}ms {mo * 1e3:9.3f}ms "
              f"{md * 1e3:9.3f}ms {ratio:9.2f}x {cost:7.2f}x {checked:3d}/{count:<3d}")
    print("(times: the fastest run of each workload, summed over the eval's workloads; "
          "valid: outputs the eval checked against manual's)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
