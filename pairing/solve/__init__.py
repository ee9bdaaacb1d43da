"""The solve layer: diagnosis, the pairing optimizer and explanations, on top of CP-SAT."""
