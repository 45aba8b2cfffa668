"""Start a Neo4j server's JVM for a process that owns it, and stop the server once that process is
gone, however it ended.

Run as a script, in a session of its own, by :func:`tools.neo4j.server.start` when it is given an
owner (``stop_with``: a test run's or a benchmark's pid)::

    python watchdog.py OWNER_PID OWNER_START LOG -- JAVA ARGS…

It checks that the owner is still there (else it exits with :data:`OWNER_GONE`, starting nothing),
starts the JVM itself (its output into ``LOG``, in a session of its own), writes the JVM's pid and
start time as one line on its standard output for the starter, then watches. So there is no moment
when a JVM runs unwatched: a starter killed before the watchdog checked the owner starts nothing, one
killed after has a JVM the watchdog stops; and the JVM, the watchdog's child, keeps its pid until
the watchdog reaps it, so the pid signalled is always the server's.

Nor a JVM that no state records (which no ``stop`` could find): the starter says :data:`RECORDED` on
the watchdog's standard input once it has written the server's state; an end of that input before
(the starter killed, or failed, before it wrote it; its report undeliverable) makes the watchdog
stop its JVM. The JVM dies with the watchdog (``PR_SET_PDEATHSIG``, SIGKILL; the watchdog is
single-threaded, so the forking thread's end is the process's): a watchdog killed before it
reported the JVM leaves none. A SIGTERM to the watchdog stops its JVM first (as an owner's end does).

Every half second it looks at
the owner in ``/proc``: it is gone when its pid is gone, is a zombie (killed, not reaped yet:
``kill(pid, 0)`` still succeeds on those), or is another process reusing the pid (its start time, in
clock ticks since boot, is not the one recorded). Then the server's process group (the JVM is the
leader of a session of its own) gets SIGTERM, and SIGKILL after :data:`GRACE` seconds if it is still
there (a JVM still starting up may not heed SIGTERM). A server that ends first (a clean stop) ends
the watchdog.

Why a process polling the owner rather than ``PR_SET_PDEATHSIG`` set in the JVM before its exec:
the death signal is sent when the *thread* that forked the JVM ends, not its process (a server
started from a worker thread would die with that thread while its owner lives on), and only the
parent counts, whereas an owner here is any pid: a bulk sync run by another process (the CLI's
``neo4j sync --bulk`` on a test's server) restarts the server for the same owner.

Only the standard library: it runs with no import path set up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable

POLL = 0.5
GRACE = 30.0
# The start time of a process whose start time is not known (gone before it was read): no process has it.
UNKNOWN = -1
# The exit status of a watchdog whose owner had ended before it started anything.
OWNER_GONE = 3
# What the starter writes on the watchdog's standard input once the server's state is written.
RECORDED = b"recorded\n"
# A test hook: the point where a watchdog (or a starter) is to die or hang, as a crash would make it
# (tests/test_neo4j_server_lifetime.py). Unset everywhere else: inert.
TEST_HOOK_ENV = "ORDERGRAPH_NEO4J_TEST_HOOK"


def test_hook(point: str, detail: str) -> None:
    """At ``point``, when :data:`TEST_HOOK_ENV` names it (``…-dies-…``: SIGKILL itself;
    ``…-hangs-…``: sleep an hour, a watchdog until it gets SIGTERM; ``…-terminated-…``,
    ``…-interrupted-…``: SIGTERM, SIGINT (a Ctrl-C) itself, then go on if that does not end it;
    ``…-refused``: raise :class:`PermissionError`, as a system refusing the call there would), after
    saying so and ``detail`` on standard error. Otherwise nothing."""
    if os.environ.get(TEST_HOOK_ENV) != point:
        return
    print(f"test hook {point}: {detail}", file=sys.stderr, flush=True)
    if "-hangs-" in point:  # for an hour, or until a SIGTERM to a watchdog (which stops its JVM then)
        hang_until = time.monotonic() + 3600
        while time.monotonic() < hang_until and not _Termination.requested:
            time.sleep(POLL)
    elif "-terminated-" in point:
        os.kill(os.getpid(), signal.SIGTERM)
    elif "-interrupted-" in point:
        os.kill(os.getpid(), signal.SIGINT)
    elif point.endswith("-refused"):
        raise PermissionError(1, f"refused by test hook {point}")
    else:
        os.kill(os.getpid(), signal.SIGKILL)


class _Termination:
    """Whether this watchdog got SIGTERM. Its handler only records it, and the loops look at it (a
    SIGTERM while they sleep or wait in ``select`` is seen within :data:`POLL`): an exception raised
    from a handler lands at whatever bytecode runs, also inside ``Popen._internal_poll`` just after
    its ``_waitpid_lock.acquire(False)`` and before its ``try``, which leaves the lock held for good
    and every later wait on the JVM blocked (the stop then hangs)."""

    requested = False


def _terminated(signum: int, frame: object) -> None:
    # A second SIGTERM while the JVM stops changes nothing. Not by ignoring SIGTERM from then on: a JVM
    # started after that would inherit the ignored signal and keep it ignored (its stop would take the
    # whole grace, then SIGKILL), where a caught one is reset to the default by its exec.
    _Termination.requested = True


def start_time(pid: int) -> int | None:
    """The start time of a living process (clock ticks since boot), or None when ``pid`` is gone
    or a zombie. Without ``/proc``: 0 for a pid that answers ``kill(pid, 0)``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return 0
        return 0
    except (OSError, IndexError):
        return None
    # fields[0] is the state (field 3 of proc(5)), fields[19] the start time (field 22).
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def same(pid: int, started: int) -> bool:
    """Whether ``pid`` is still the living process that started at ``started``. An :data:`UNKNOWN`
    start matches no process; without ``/proc`` every start time is 0 (a living pid matches)."""
    now = start_time(pid)
    return now is not None and now == started


def signal_group(pid: int, sig: int) -> None:
    """``sig`` to the process group ``pid`` leads (a JVM in a session of its own), else to ``pid``."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def watch(owner: int, owner_start: int, jvm: subprocess.Popen[bytes], starter: int | None = None) -> str:
    """Wait for the owner's end or the server's; stop the server in the first case. Says which.
    ``starter``: a file descriptor on which :data:`RECORDED` is awaited; its end before it (or anything
    else) stops the server too.

    ``jvm`` is this process's child: until it is reaped here its pid cannot be another process's."""
    while same(owner, owner_start):
        if _Termination.requested:
            return "terminated: " + stop(jvm)
        if jvm.poll() is not None:
            return "server ended"
        if starter is None:
            time.sleep(POLL)
        elif select.select([starter], [], [], POLL)[0]:
            said = os.read(starter, len(RECORDED))
            os.close(starter)
            starter = None
            if said != RECORDED:  # the starter ended, or failed, before it recorded the server
                return "starter failed: " + stop(jvm)
    if jvm.poll() is not None:
        return "both ended"
    return "owner ended: " + stop(jvm)


def stop(jvm: subprocess.Popen[bytes]) -> str:
    """Stop the JVM: SIGTERM to its process group, SIGKILL after :data:`GRACE` seconds."""
    signal_group(jvm.pid, signal.SIGTERM)
    try:
        jvm.wait(GRACE)
    except subprocess.TimeoutExpired:
        signal_group(jvm.pid, signal.SIGKILL)
        jvm.wait()
        return "server killed"
    return "server stopped"


# The exit status of a watchdog whose JVM could not be tied to it (PR_SET_PDEATHSIG refused): none runs.
NO_DEATH_SIGNAL = 4


class DeathSignalRefused(Exception):
    """The system refused ``PR_SET_PDEATHSIG`` (a seccomp filter?): a JVM started here would outlive
    a watchdog killed before it reports the JVM, so none is started."""


def _dies_with_this_process() -> Callable[[], None] | None:
    """A function for a child, run between its fork and its exec, that has it SIGKILLed when this
    process ends (``PR_SET_PDEATHSIG``); None where there is no ``prctl`` (not Linux: there the JVM
    does not die with its watchdog, which still stops it when its owner ends or its starter fails).
    Where the call is refused the child says so on its standard error (the log) and ends before its
    exec: :func:`launch` then exits with :data:`NO_DEATH_SIGNAL`."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def set_death_signal() -> None:
        failed = prctl(1, int(signal.SIGKILL)) != 0  # PR_SET_PDEATHSIG
        error = ctypes.get_errno()
        try:
            test_hook("watchdog-death-signal-refused", f"watchdog pid {parent}")
        except PermissionError:
            failed, error = True, errno.EPERM
        if failed:
            said = f"watchdog: prctl(PR_SET_PDEATHSIG) refused ({os.strerror(error)}): no JVM started\n"
            os.write(2, said.encode("ascii", errors="replace"))
            raise DeathSignalRefused
        if os.getppid() != parent:  # this process ended before it was set
            os._exit(1)

    return set_death_signal


def launch(owner: int, owner_start: int, log: str, command: list[str]) -> int:
    """The JVM started (``command``, its output appended to ``log``) and watched for ``owner``; its
    pid and start time written on standard output first. :data:`OWNER_GONE` when the owner had ended
    already: nothing is started."""
    if not same(owner, owner_start):
        return OWNER_GONE
    # A SIGTERM (a starter that gave up waiting for the report) stops the JVM first, once it runs.
    signal.signal(signal.SIGTERM, _terminated)
    test_hook("watchdog-terminated-before-start", "no JVM yet")
    if _Termination.requested:
        return 128 + signal.SIGTERM
    test_hook("watchdog-terminated-at-start", "no JVM yet")
    with open(log, "ab") as out:
        try:
            jvm = subprocess.Popen(  # noqa: S603 - the command server.start built
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_dies_with_this_process(),  # safe here: this process has one thread
            )
        except subprocess.SubprocessError:  # the child's preexec_fn raised: it said why, in the log
            return NO_DEATH_SIGNAL
    # Ignored only now: the JVM would inherit the ignored signals (and never install its handlers).
    # The owner's Ctrl-C (or a hang-up of its terminal) must not end the watchdog first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    started = start_time(jvm.pid)
    detail = f"JVM pid {jvm.pid} start {UNKNOWN if started is None else started}"
    test_hook("watchdog-dies-before-report", detail)
    test_hook("watchdog-hangs-before-report", detail)
    if _Termination.requested:  # before the report: the starter, told nothing, gives up on it
        stop(jvm)
        return 128 + signal.SIGTERM
    try:
        os.write(1, f"{jvm.pid} {UNKNOWN if started is None else started}\n".encode("ascii"))
    except OSError:  # the starter is gone: no one records this JVM
        stop(jvm)
        return 0
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    watch(owner, owner_start, jvm, starter=0)
    return 128 + signal.SIGTERM if _Termination.requested else 0


def main(argv: list[str]) -> int:
    split = argv.index("--")
    owner, owner_start, log = argv[:split]
    return launch(int(owner), int(owner_start), log, argv[split + 1 :])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
