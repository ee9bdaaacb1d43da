"""``pairing diff``: what changed between two plans of one county."""
