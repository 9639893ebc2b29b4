"""Evaluation on the side: ROUGE and faithfulness measures, baselines, suites and reports."""
