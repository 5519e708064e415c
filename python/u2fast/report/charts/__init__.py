"""SVG charts of the HTML report, one chart per module (no plotting library, no script)."""

from .bland_altman import bland_altman_svg
from .confusion import confusion_svg
from .forest import forest_svg
from .ranks import rank_intervals_svg

__all__ = ["bland_altman_svg", "confusion_svg", "forest_svg", "rank_intervals_svg"]
