"""Build scripts: turn a spun government work report article into an explainer site."""
