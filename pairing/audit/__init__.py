"""The ledger auditor: match a 工作台账 ledger against a plan's obligations."""
