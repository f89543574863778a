"""`make bench`: our packages and the official clients side by side, in one run, against one
release-built emulator seeded with synthetic files. Writes bench/RESULTS.md and
bench/ratios.png.

Each contender runs each workload in a fresh process, several times; a figure is the
median with the spread (min..max). Contenders print one JSON line: seconds, items, and
their peak RSS after the first page and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional

import emulator as emulator_process

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CONTENDERS = BENCH / "contenders"
PY = sys.executable

WORKLOADS = {
    "list": "1. list every file (1,000 per page), touching uuid and size",
    "info-seq": "2a. file info for 2,000 files, one at a time",
    "info-c16": "2b. file info for 2,000 files, 16 at a time",
    "store": "3. batch-store 10,000 files",
    "convert": "4. start 50 document conversions and wait for all",
    "upload-big": "5. upload one 200 MB file (multipart)",
    "upload-many": "6. upload 1,000 small files, 16 at a time",
}
REST = ["list", "info-seq", "info-c16", "store", "convert"]
RAW = ["list", "info-seq", "info-c16", "store"]
LIMIT = "raw reader (server's share)"
UPLOADS = ["upload-big", "upload-many"]


def contenders() -> Dict[str, Dict[str, object]]:
    release = ROOT / "target" / "release"
    node = shutil.which("node") or "node"
    floor = str(CONTENDERS / "py_floor.py")
    return {
        "ucare Python (sync)": {"lang": "Python", "cmd": [PY, str(CONTENDERS / "py_ucare.py"), "sync"], "workloads": REST + UPLOADS},
        "ucare Python (async)": {"lang": "Python", "cmd": [PY, str(CONTENDERS / "py_ucare.py"), "async"], "workloads": REST},
        "pyuploadcare": {"lang": "Python", "cmd": [PY, str(CONTENDERS / "py_pyuploadcare.py")], "official": True, "workloads": REST + UPLOADS},
        "Python floor (http.client)": {"lang": "Python", "cmd": [PY, floor, "--http=http.client"], "floor": True, "workloads": REST},
        "Python floor (urllib3)": {"lang": "Python", "cmd": [PY, floor, "--http=urllib3"], "floor": True, "workloads": REST},
        "Python floor (httpx)": {"lang": "Python", "cmd": [PY, floor, "--http=httpx"], "floor": True, "workloads": REST},
        "ucare Node": {"lang": "Node", "cmd": [node, str(CONTENDERS / "node_ucare.mjs")], "workloads": REST + UPLOADS},
        "@uploadcare/rest-client": {"lang": "Node", "cmd": [node, str(CONTENDERS / "node_rest_client.mjs")], "official": True, "workloads": REST},
        "upload-client": {"lang": "Node", "cmd": [node, str(CONTENDERS / "node_upload_client.mjs")], "official": True, "workloads": UPLOADS},
        "Node floor (fetch)": {"lang": "Node", "cmd": [node, str(CONTENDERS / "node_floor.mjs"), "--http=fetch"], "floor": True, "workloads": REST},
        "Node floor (undici)": {"lang": "Node", "cmd": [node, str(CONTENDERS / "node_floor.mjs"), "--http=undici"], "floor": True, "workloads": REST},
        "ucare Rust": {"lang": "Rust", "cmd": [str(release / "bench-rust-ucare")], "workloads": REST + UPLOADS},
        "Rust floor": {"lang": "Rust", "cmd": [str(release / "bench-rust-floor")], "floor": True, "workloads": REST + UPLOADS},
        LIMIT: {"lang": "server", "cmd": [str(release / "bench-rust-raw")], "limit": True, "workloads": RAW},
    }


def start_emulator(files: int, docs: pathlib.Path) -> tuple[subprocess.Popen[str], str]:
    return emulator_process.start(["--seed-files", str(files - 50), "--upload-dir", str(docs), "--conversion-delay-ms", "200",
                                   "--max-upload-bytes", str(512 << 20)])


def run_once(cmd: List[str], workload: str, uuids_file: Optional[pathlib.Path], env: Dict[str, str]) -> Dict[str, float]:
    argv = [*cmd, workload] + ([str(uuids_file)] if uuids_file else [])
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=CONTENDERS, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def version(cmd: List[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except Exception:  # noqa: BLE001 - a missing tool is reported, not fatal
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs of each workload per contender (median reported)")
    parser.add_argument("--files", type=int, default=100_000, help="files in the project")
    parser.add_argument("--only", nargs="*", help="contenders to run (default: all)")
    parser.add_argument("--workloads", nargs="*", default=list(WORKLOADS), help="workloads to run")
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    options = parser.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="ucare-bench-"))
    docs = work / "docs"
    docs.mkdir()
    for i in range(50):
        (docs / f"doc-{i:02}.txt").write_text(f"Document {i} for the conversion workload.\n" * 20)
    emulator, base = start_emulator(options.files, docs)
    env = {**os.environ, "UPLOADCARE_API_BASE": base, "UPLOADCARE_UPLOAD_BASE": base, "UPLOADCARE_PUBLIC_KEY": "demopublickey",
           "UPLOADCARE_SECRET_KEY": "demoprivatekey"}
    results: Dict[str, Dict[str, Dict[str, object]]] = {}
    try:
        import ucare

        client = ucare.Client("demopublickey", "demoprivatekey", base_url=base)
        all_files = [(f.uuid, f.original_filename) for f in client.files.list(limit=1000)]
        assert len(all_files) == options.files, f"the project has {len(all_files)} files"
        synthetic = [u for u, name in all_files if name.startswith("synthetic-")]
        documents = [u for u, name in all_files if name.endswith(".txt")]
        inputs = {"info-seq": synthetic[:2000], "info-c16": synthetic[:2000], "store": synthetic[-10_000:], "convert": documents[:50]}
        files = {}
        for name, uuids in inputs.items():
            files[name] = work / f"{name}.txt"
            files[name].write_text("\n".join(uuids))
        if any(w in UPLOADS for w in options.workloads):
            # One 200 MB file and 1,000 small ones (1 to 4 KiB), made once for every contender.
            big = work / "big.bin"
            block = bytes(range(256)) * 4096
            with big.open("wb") as out:
                for _ in range(200 * 1024 * 1024 // len(block)):
                    out.write(block)
            small_dir = work / "small"
            small_dir.mkdir()
            smalls = []
            for i in range(1000):
                path = small_dir / f"small-{i:04}.bin"
                path.write_bytes(bytes([i % 256]) * (1024 + (i * 37) % 3072))
                smalls.append(str(path))
            files["upload-big"] = work / "upload-big.txt"
            files["upload-big"].write_text(str(big))
            files["upload-many"] = work / "upload-many.txt"
            files["upload-many"].write_text("\n".join(smalls))

        chosen = {k: v for k, v in contenders().items() if not options.only or k in options.only}
        for workload in options.workloads:
            results[workload] = {}
            taking = [name for name, spec in chosen.items() if workload in spec["workloads"]]  # type: ignore[operator]
            # Round-robin: run 1 of every contender, then run 2, ... so that a slow spell of
            # the machine falls on all of them rather than on one.
            all_runs: Dict[str, List[Dict[str, float]]] = {name: [] for name in taking}
            for _ in range(options.runs):
                for name in taking:
                    all_runs[name].append(run_once(chosen[name]["cmd"], workload, files.get(workload), env))  # type: ignore[arg-type]
            for name in taking:
                runs = all_runs[name]
                seconds = [r["seconds"] for r in runs]
                results[workload][name] = {
                    "median": statistics.median(seconds), "min": min(seconds), "max": max(seconds), "items": runs[0]["items"],
                    "rss_first": statistics.median(r["peak_rss_first_page_kib"] for r in runs),
                    "rss_end": statistics.median(r["peak_rss_kib"] for r in runs),
                }
                print(f"{workload:9} {name:22} median {results[workload][name]['median']:.3f}s "
                      f"({min(seconds):.3f}..{max(seconds):.3f}) items {runs[0]['items']}", flush=True)
    finally:
        emulator_process.stop(emulator)
        shutil.rmtree(work, ignore_errors=True)

    write_results(pathlib.Path(options.out), results, chosen, options)


def fastest_floor(results: Dict[str, Dict[str, object]], lang: str, chosen: Dict[str, Dict[str, object]]) -> Optional[str]:
    """The floor of a language for a workload: the fastest of its plain HTTP clients."""
    floors = [n for n, spec in chosen.items() if n in results and spec["lang"] == lang and spec.get("floor")]
    return min(floors, key=lambda n: float(results[n]["median"])) if floors else None  # type: ignore[arg-type]


def ratio_note(results: Dict[str, Dict[str, object]], name: str, lang: str, chosen: Dict[str, Dict[str, object]]) -> str:
    mine = float(results[name]["median"])  # type: ignore[arg-type]
    notes = []
    floor = fastest_floor(results, lang, chosen)
    for other, spec in chosen.items():
        if other in results and spec["lang"] == lang and other != name and (spec.get("official") or other == floor):
            ratio = float(results[other]["median"]) / mine  # type: ignore[arg-type]
            notes.append(f"{ratio:.2f}x vs {other}")
    return ", ".join(notes)


def over_limit(results: Dict[str, Dict[str, object]], name: str, chosen: Dict[str, Dict[str, object]]) -> str:
    """A contender's time over the raw reader's: how much above the server's share it is."""
    limit = next((n for n, spec in chosen.items() if spec.get("limit") and n in results), None)
    if limit is None or name == limit:
        return ""
    return f"{float(results[name]['median']) / float(results[limit]['median']):.2f}x"  # type: ignore[arg-type]


def targets(results: Dict[str, Dict[str, Dict[str, object]]], chosen: Dict[str, Dict[str, object]]) -> List[str]:
    """The targets of issue 12, checked on this run's medians."""
    rows = []

    def median(workload: str, name: Optional[str]) -> Optional[float]:
        r = results.get(workload, {})
        return float(r[name]["median"]) if name in r else None  # type: ignore[arg-type]

    def row(what: str, mine: Optional[float], other: Optional[float], goal: str, met: Callable[[float], bool], how: str,
            workload: str = "", factor: float = 0, lang: str = "") -> None:
        if mine is None or other is None:
            return
        ratio = mine / other if how == "share" else other / mine
        verdict = "met" if met(ratio) else "**not met**"
        server = median(workload, LIMIT) if factor else None
        # A speed-up the server itself rules out: the client would have to add less than a
        # tenth to the time the server alone takes.
        if not met(ratio) and server is not None and other / factor <= 1.1 * server:
            verdict = f"server-bound: it needs {other / factor:.3f} s, the server alone takes {server:.3f} s"
        elif not met(ratio) and lang and workload in results:
            # Whether the leanest hand-written loop of the language gets there: if not, what
            # is left is the server's and the language's, not the client's.
            floor = fastest_floor(results[workload], lang, chosen)
            floor_time = median(workload, floor)
            if floor_time is not None and not met(other / floor_time):
                share = f"; the server's share is {server / mine:.0%} of ucare's time" if server else ""
                verdict += f" (the fastest {lang} floor, {floor}, reaches {other / floor_time:.2f}x{share})"
        rows.append(f"| {what} | {goal} | {ratio:.2f}x | {verdict} |")

    if "list" in results:
        row("Python listing, ucare sync / fastest Python floor", median("list", "ucare Python (sync)"),
            median("list", fastest_floor(results["list"], "Python", chosen)), "at most 0.67x", lambda r: r <= 0.67, "share")
        row("Node listing, ucare / fastest Node floor", median("list", "ucare Node"), median("list", fastest_floor(results["list"], "Node", chosen)),
            "at most 0.8x", lambda r: r <= 0.8, "share")
    for workload, label in (("list", "listing"), ("info-c16", "2,000 infos at concurrency 16")):
        row(f"Node {label}, ucare vs @uploadcare/rest-client", median(workload, "ucare Node"), median(workload, "@uploadcare/rest-client"),
            "at least 5x faster", lambda r: r >= 5, "speed", workload, 5, "Node")
    short = {"list": "listing", "info-seq": "2,000 infos one at a time", "info-c16": "2,000 infos at concurrency 16", "store": "batch-store of 10,000"}
    for workload in ("list", "info-seq", "info-c16", "store"):
        row(f"Python {short[workload]}, ucare sync vs pyuploadcare", median(workload, "ucare Python (sync)"), median(workload, "pyuploadcare"),
            "at least 3x faster", lambda r: r >= 3, "speed", workload, 3, "Python")
    return rows


def write_results(out: pathlib.Path, results: Dict[str, Dict[str, Dict[str, object]]], chosen: Dict[str, Dict[str, object]], options: argparse.Namespace) -> None:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((l.split(":", 1)[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    try:
        from importlib.metadata import version as pkg_version
        pyuc = pkg_version("pyuploadcare")
    except Exception:  # noqa: BLE001
        pyuc = "not installed"
    lines = [
        "# Benchmark results",
        "",
        f"Made by `make bench` (`python bench/run.py --runs {options.runs} --files {options.files}`) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {mem} memory, {platform.platform()}",
        f"- Versions: {version(['rustc', '--version'])}; Python {platform.python_version()}; Node {version(['node', '--version'])}; pyuploadcare {pyuc}",
        f"- Server: one release-built `ucare-emulator` on loopback, {options.files:,} files (synthetic ones a second apart with repeated sizes, plus 50 text documents), conversion jobs taking 200 ms.",
        "- Each figure is the median of the runs, with the spread (min..max); each run is a fresh process. Ratios are the other contender's median over this one's (above 1 means this one is faster).",
        "- Every contender speaks REST API v0.7 (the official clients at their default version). Contenders: `bench/contenders/` (Python and Node) and `bench/rust/` (Rust). Floors are the leanest hand-written loops in each language (plain HTTP client, JSON decode, signature by hand, no models, no retries), over each of the language's fast HTTP clients; the fastest of them for a workload is the floor the ratios use. The raw reader downloads the same pages and parses nothing: its time is the server's own share, and each contender's time over it is the column so named.",
        "",
    ]
    for workload, title in WORKLOADS.items():
        if workload not in results:
            continue
        lines += [f"## {title}", "", "| contender | median (s) | spread (s) | items | over the server's share | compared |",
                  "|---|---:|---:|---:|---:|---|"]
        for name, r in results[workload].items():
            note = ratio_note(results[workload], name, str(chosen[name]["lang"]), chosen)
            limit = over_limit(results[workload], name, chosen)
            lines.append(f"| {name} | {r['median']:.3f} | {r['min']:.3f}..{r['max']:.3f} | {r['items']} | {limit} | {note} |")
        expected = statistics.mode([r["items"] for r in results[workload].values()])
        for name, r in results[workload].items():
            if r["items"] != expected:
                lines.append(f"\n{name} handed over {r['items']} items, not {expected}: it lost {int(expected) - int(r['items'])}.")  # type: ignore[call-overload]
        lines.append("")
    checked = targets(results, chosen)
    if checked:
        lines += ["## Targets", "", "Ratios of this run's medians (a share below 1, or a speed-up above 1, is better).", "",
                  "| target | goal | measured | |", "|---|---|---:|---|", *checked, ""]
    if "upload-big" in results:
        lines += ["## Peak memory, workload 5", "", "Peak resident set of the whole process while uploading 200 MB.", "",
                  "| contender | peak (MiB) |", "|---|---:|"]
        for name, r in results["upload-big"].items():
            lines.append(f"| {name} | {float(r['rss_end']) / 1024:.1f} |")  # type: ignore[arg-type]
        lines.append("")
    if "list" in results:
        lines += ["## Peak memory, workload 1", "",
                  "Peak resident set after the first page and at the end of the listing: equal figures mean memory stays flat.", "",
                  "| contender | after first page (MiB) | at the end (MiB) |", "|---|---:|---:|"]
        for name, r in results["list"].items():
            first = float(r["rss_first"]) / 1024  # type: ignore[arg-type]
            end = float(r["rss_end"]) / 1024  # type: ignore[arg-type]
            lines.append(f"| {name} | {first:.1f} | {end:.1f} |")
        lines.append("")
    chart = draw_chart(results, chosen, out.parent / "ratios.png")
    if chart:
        lines += ["## Chart", "", "Speed relative to the official client (Python, Node) or the floor (Rust); higher is faster.", "", f"![ratios]({chart.name})", ""]
    out.write_text("\n".join(lines))
    print(f"wrote {out}")


def draw_chart(results: Dict[str, Dict[str, Dict[str, object]]], chosen: Dict[str, Dict[str, object]], path: pathlib.Path) -> Optional[pathlib.Path]:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    baseline = {"Python": "pyuploadcare", "Node": "@uploadcare/rest-client", "Rust": "Rust floor"}
    uploads_baseline = {"Python": "pyuploadcare", "Node": "upload-client", "Rust": "Rust floor"}
    series = [n for n, spec in chosen.items() if n not in baseline.values() and n not in uploads_baseline.values() and not spec.get("floor")
              and not spec.get("limit")]
    workloads = [w for w in WORKLOADS if w in results]
    fig, ax = plt.subplots(figsize=(11, 5))
    width = 0.8 / max(1, len(series))
    for i, name in enumerate(series):
        values = []
        for w in workloads:
            base = (uploads_baseline if w in UPLOADS else baseline).get(str(chosen[name]["lang"]), "")
            r = results[w]
            values.append(float(r[base]["median"]) / float(r[name]["median"]) if base in r and name in r else 0)  # type: ignore[arg-type]
        ax.bar([x + i * width for x in range(len(workloads))], values, width, label=name)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(workloads))])
    short = {"list": "1. list 100k files", "info-seq": "2a. 2,000 infos, sequential", "info-c16": "2b. 2,000 infos, 16 at a time",
             "store": "3. batch-store 10,000", "convert": "4. 50 conversions", "upload-big": "5. upload 200 MB",
             "upload-many": "6. upload 1,000 small"}
    ax.set_xticklabels([short[w] for w in workloads], fontsize=9)
    ax.set_ylabel("speed ratio (baseline time / contender time)")
    ax.set_title("ucare against the official clients (Python, Node) and the floor (Rust)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


if __name__ == "__main__":
    main()
