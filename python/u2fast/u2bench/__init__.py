"""U2-Bench's facts in one place: tasks, scenarios, the 9-sector rule and the scoring modes.

Everything else (loaders, tasks, adapters, scoring, reports) reads these; this package imports
nothing else of u2fast, so any layer may depend on it.
"""

from __future__ import annotations

# Each module lists its public names once; the package re-exports exactly those.
from . import modes, scenarios, sectors, tasks
from .modes import *  # noqa: F403
from .scenarios import *  # noqa: F403
from .sectors import *  # noqa: F403
from .tasks import *  # noqa: F403

__all__: list[str] = []
__all__ += tasks.__all__
__all__ += scenarios.__all__
__all__ += sectors.__all__
__all__ += modes.__all__
