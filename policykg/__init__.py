"""policykg: a knowledge-graph explorer for Chinese government action plans."""

__version__ = "0.1.0"
