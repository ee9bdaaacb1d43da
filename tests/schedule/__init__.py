"""Tests of the activity calendar (pairing.schedule, pairing.cpsat.schedule, its outputs)."""
