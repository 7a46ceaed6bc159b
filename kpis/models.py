"""Monthly indicators, targets and benchmarks (models arrive with the KPI issue)."""
