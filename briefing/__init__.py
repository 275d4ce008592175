"""The briefing engine: text in, a typed Brief out."""

from briefing.engine import brief
from briefing.model import Brief, BriefError, Dispute, Source, Statement

__all__ = ["Brief", "BriefError", "Dispute", "Source", "Statement", "brief"]
