"""CP-SAT model of the pairing rules P01-P17, built from an index-based :class:`PairingData`."""
