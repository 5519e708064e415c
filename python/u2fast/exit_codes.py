"""The process exit codes of the ``u2fast`` command: the one home of their numbers.

docs/exit-codes.md explains each to users (a test keeps that table and this enum in step).
Error classes in :mod:`u2fast.errors` carry theirs; :func:`u2fast.run_state.exit_code_of` picks
the code of a run that ended without raising.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode"]


class ExitCode(IntEnum):
    #: every planned request was sent and finished (answered, or failed for good and counted so)
    OK = 0
    #: an error of u2fast itself
    ERROR = 1
    #: bad usage: an option, flag value or config file (nothing was sent)
    CONFIG = 2
    #: data that cannot be read or a bad row under --strict (nothing was sent)
    DATA = 3
    #: a plugin that fails to load, registers a clashing name, or an unknown parser
    PLUGIN = 4
    #: a provider refused the key (auth), mid-run included
    PROVIDER = 5
    #: a run folder that is missing, corrupt, locked or belongs to another run
    RUN_FOLDER = 6
    #: the run finished but some requests were not sent: budget, quota or a model stopped early
    PARTIAL = 7
    #: a model got no answer at all: every request failed or none was sent
    NOTHING_ANSWERED = 8
    #: ``eval --batch --no-wait``: batches submitted and still running; resume later to collect them
    BATCHES_PENDING = 75
    #: Ctrl-C; the journal is kept, resume with ``u2fast eval --resume RUN``
    INTERRUPTED = 130
