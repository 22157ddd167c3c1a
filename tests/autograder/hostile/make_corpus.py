"""Write the hostile corpus (tests/autograder/hostile/*.ipynb), no outputs."""
import os

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = os.path.dirname(os.path.abspath(__file__))
META = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}}

ESCAPE_HELPER = '''\
# Escape attempts. `targets.json` (written by the test next to this notebook) names what lies outside.
import json, os, socket, sys
T = json.load(open("targets.json"))

def attempt(name, fn):
    try:
        detail = fn()
    except BaseException as exc:  # noqa: BLE001
        print(f"BLOCKED {name}: {type(exc).__name__}")
    else:
        print(f"ESCAPED {name}: {detail!r}"[:300])

def read(path, n=64):
    with open(path, "rb") as handle:
        return handle.read(n)

def write(path):
    with open(path, "w") as handle:
        handle.write("pwned")
    return path

def must_list(path, *secrets):
    names = os.listdir(path)
    assert any(s in names for s in secrets), names  # a listing without the secrets reveals nothing
    return names'''

ESCAPE = [
    ESCAPE_HELPER,
    '# course state\n'
    'attempt("read gradebook", lambda: read(T["gradebook"]))\n'
    'attempt("read source", lambda: read(T["source"]))\n'
    'attempt("read other submission", lambda: read(T["other"]))\n'
    'attempt("read feedback", lambda: read(T["feedback"]))\n'
    'attempt("list course", lambda: must_list(T["course"], "gradebook.db", "source", "submitted"))',
    '# the reference\n'
    'attempt("import solutions", lambda: __import__("solutions"))\n'
    'attempt("read solutions", lambda: read(os.path.join(T["solutions_dir"], "__init__.py")))\n'
    'attempt("list repo", lambda: must_list(T["repo"], "solutions", "book", ".git"))\n'
    'attempt("read autograder source", lambda: must_list(T["autograder_dir"], "source", "examples"))',
    '# writes outside the scratch copy\n'
    'attempt("write course", lambda: write(os.path.join(T["course"], "pwned.txt")))\n'
    'attempt("write repo", lambda: write(os.path.join(T["repo"], "pwned.txt")))\n'
    'attempt("write venv .pth", lambda: write(os.path.join(T["site_packages"], "pwned.pth")))\n'
    'attempt("write probe", lambda: write(T["probe"]))\n'
    'attempt("write root", lambda: write("/pwned.txt"))\n'
    'attempt("write usr", lambda: write("/usr/pwned.txt"))\n'
    'attempt("write dev", lambda: write("/dev/pwned.txt"))\n'
    'open("/dev/null", "w").write("fine")',
    '# filling memory-backed or disk space: every writable place is capped\n'
    'def fill(folder, chunk=16 * 1024 * 1024, most=32):\n'
    '    for i in range(most):  # up to 512 MiB in 16 MiB files (each under the file-size limit)\n'
    '        with open(os.path.join(folder, f"fill-{i}"), "wb") as handle:\n'
    '            handle.write(b"x" * chunk)\n'
    '    return f"{most * chunk >> 20} MiB written to {folder}"\n'
    'def big_file():\n'
    '    with open("/tmp/one-big-file", "wb") as handle:\n'
    '        for _ in range(20):\n'
    '            handle.write(b"x" * (8 * 1024 * 1024))\n'
    '    return "160 MiB in one file"\n'
    'attempt("fill tmp", lambda: fill("/tmp"))\n'
    'attempt("fill dev shm", lambda: fill("/dev/shm"))\n'
    'attempt("fill scratch", lambda: fill("."))\n'
    'for folder in ("/tmp", "/dev/shm", "."):\n'
    '    for name in os.listdir(folder):\n'
    '        if name.startswith("fill-"):\n'
    '            os.remove(os.path.join(folder, name))\n'
    'attempt("one big file", big_file)\n'
    'os.remove("/tmp/one-big-file")',
    '# network\n'
    'attempt("connect grader port", lambda: socket.create_connection(("127.0.0.1", T["port"]), timeout=3))\n'
    'attempt("connect outside", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))\n'
    'attempt("resolve name", lambda: socket.getaddrinfo("example.com", 80))',
    '# environment and processes\n'
    'attempt("secret env", lambda: os.environ[T["secret_name"]])\n'
    'attempt("signal grader", lambda: os.kill(T["grader_pid"], 0))\n'
    'attempt("grader environ", lambda: read(f"/proc/{T[\'grader_pid\']}/environ"))\n'
    'print("ENV", json.dumps(sorted(os.environ)))',
    '# /proc and link tricks\n'
    'def via_proc_roots():\n'
    '    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:\n'
    '        for link in ("root", "cwd"):\n'
    '            try:\n'
    '                return read(f"/proc/{pid}/{link}" + T["gradebook"])\n'
    '            except OSError:\n'
    '                pass\n'
    '    raise FileNotFoundError("no /proc/*/root leads out")\n'
    'attempt("proc root", via_proc_roots)\n'
    'attempt("proc fd", lambda: [read(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd") if "gradebook" in os.path.realpath(f"/proc/self/fd/{fd}")] or read(T["gradebook"]))\n'
    'os.symlink(T["gradebook"], "link-to-gradebook")\n'
    'attempt("new symlink", lambda: read("link-to-gradebook"))\n'
    'attempt("planted symlink", lambda: read("planted-link"))\n'
    'attempt("hard link", lambda: os.link(T["gradebook"], "hard-link"))\n'
    'def nested_userns():\n'
    '    import ctypes\n'
    '    libc = ctypes.CDLL(None, use_errno=True)\n'
    '    if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER\n'
    '        raise OSError(ctypes.get_errno(), "unshare failed")\n'
    '    return "unshared"\n'
    'attempt("nested user namespace", nested_userns)',
    '# what is allowed: the probe, the scratch copy and /tmp\n'
    'import autograder.probe\n'
    'write("scratch.txt"); write("/tmp/scratch.txt")\n'
    'print("ALLOWED", os.getcwd(), sorted(os.listdir(".")))',
]

NOTEBOOKS = {
    "escape": ESCAPE,
    "memory_bomb": ['print("start")',
                    '# grows until the address-space limit stops it\n'
                    'hog = []\n'
                    'while True:\n'
                    '    hog.append(bytearray(32 * 1024 * 1024))',
                    'del hog\nprint("alive after the memory bomb")'],
    "fork_bomb": ['import os\nprint("start")',
                  '# every process forks forever\n'
                  'while True:\n'
                  '    os.fork()',
                  'print("PROCS", len([p for p in os.listdir("/proc") if p.isdigit()]))'],
    "os_exit": ['print("start")', 'import os\nos._exit(1)', 'print("never runs")'],
    "infinite_loop": ['print("start")', 'while True:\n    pass', 'print("alive after the loop")'],
    "cpu_burn": ['print("start")',
                 '# ignores the interrupt, so only the CPU limit stops it\n'
                 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n'
                 'while True:\n    pass',
                 'print("never runs")'],
    "sleeper": ['print("start")', 'import time\ntime.sleep(600)', 'print("never runs")'],
    "detached": ['print("start")',
                 '# a setsid child and a double-forked daemon, both meant to outlive grading\n'
                 'import os, subprocess\n'
                 'subprocess.Popen(["sleep", "987"], start_new_session=True, stdout=subprocess.DEVNULL)\n'
                 'pid = os.fork()\n'
                 'if pid == 0:\n'
                 '    os.setsid()\n'
                 '    if os.fork() == 0:\n'
                 '        os.execvp("sleep", ["sleep", "986"])\n'
                 '    os._exit(0)\n'
                 'os.waitpid(pid, 0)  # the middle process is gone: two strays are left\n'
                 'print("spawned")',
                 'print("done")'],
    "huge_output": ['print("start")',
                    'print("x" * (5 * 1024 * 1024))',
                    'for i in range(20000):\n    print("line", i, "x" * 60)',
                    'print("done")'],
    "display_updates": ['print("start")',
                        '# 300 outputs share one display id: one update rewrites all of them\n'
                        'from IPython.display import display, update_display\n'
                        'for _ in range(300):\n    display("x", display_id="shared")',
                        'update_display("y" * 200_000, display_id="shared")',
                        'print("alive")'],
    "comm_crash": ['print("start")',
                   '# a widget comm whose state the grader could not render\n'
                   'from ipykernel.comm import Comm\n'
                   'Comm(target_name="jupyter.widget", data={"state": {}, "buffer_paths": []})',
                   'print("alive after the comm")'],
    "benign": ['import numpy as np\nimport autograder.probe\nprint("sum", int(np.arange(10).sum()))'],
}

for name, cells in NOTEBOOKS.items():
    nb = new_notebook(cells=[new_markdown_cell(f"Hostile corpus: `{name}`")] + [new_code_cell(c) for c in cells],
                      metadata=META)
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat_minor = 4
    nbformat.validate(nb)
    nbformat.write(nb, f"{OUT}/{name}.ipynb")
print("ok")
