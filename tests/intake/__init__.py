"""The simulated-resident harness: application scripts (blind-out FORMAT.md section 2) run against the real stack."""
